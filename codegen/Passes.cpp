//===- Passes.cpp - Tern lowering pass registration -----------------------===//
//
// The pass definitions live beside their patterns (TernToLinalg.cpp); this
// file only anchors the generated registration.
//
//===----------------------------------------------------------------------===//
#include "codegen/Passes.h"
