//===- TernOps.td - Tern op definitions --------------------*- tablegen -*-===//
//
// The op families live in their own files; this one gathers them so that
// TableGen emits a single TernOps.h.inc / TernOps.cpp.inc.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_OPS_TD
#define TERN_OPS_TD

include "ir/TernDialect.td"
include "ir/ElementwiseOps.td"
include "ir/ShapeOps.td"
include "ir/ContractionOps.td"
include "ir/NormalizationOps.td"
include "ir/QuantOps.td"
include "ir/MoEOps.td"
include "ir/AttentionOps.td"
include "ir/ScheduleOps.td"

#endif // TERN_OPS_TD
