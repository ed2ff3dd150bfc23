//===- TernAttrs.cpp - Tern attributes ------------------------------------===//
#include "ir/TernDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"

#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::tern;

#define GET_ATTRDEF_CLASSES
#include "ir/TernAttrs.cpp.inc"

void TernDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "ir/TernAttrs.cpp.inc"
      >();
}

LogicalResult ConcatElementsAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                         ShapedType type, ArrayAttr parts) {
  if (!type.hasStaticShape())
    return emitError() << "concat_elements needs a static shape, got " << type;
  int64_t elements = 0;
  for (auto [index, part] : llvm::enumerate(parts)) {
    auto data = dyn_cast<ElementsAttr>(part);
    if (!data || isa<ConcatElementsAttr>(part))
      return emitError() << "concat_elements part " << index
                         << " must be dense or dense_resource data";
    if (data.getElementType() != type.getElementType())
      return emitError() << "concat_elements part " << index << " has element type "
                         << data.getElementType() << ", not " << type.getElementType();
    elements += data.getNumElements();
  }
  if (elements != type.getNumElements())
    return emitError() << "concat_elements parts hold " << elements << " elements, " << type
                       << " needs " << type.getNumElements();
  return success();
}
