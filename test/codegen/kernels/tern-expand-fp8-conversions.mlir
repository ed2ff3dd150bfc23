// RUN: tern-opt %s -split-input-file -tern-expand-fp8-conversions -canonicalize | FileCheck %s
// RUN: tern-opt %s -split-input-file -tern-expand-fp8-conversions=hardware=1 -canonicalize | FileCheck %s --check-prefix=HW

// E4M3FN widened to f32 without FP8 conversions (the host, sm_80): through
// f16, the magnitude's bits moved into f16's fields are the value times
// 2^-8, its NaN (S.1111.111) selected. With them (sm_89, sm_90a): PTX's
// cvt.rn.f16x2.e4m3x2 on the byte, low lane, then f16 to f32. The bitwise
// check over every FP8 value is test/e2e/fp8-rounding.test.
// CHECK-LABEL: func.func @e4m3fn
// CHECK-DAG: %[[MAGNITUDE_MASK:.*]] = arith.constant 127 : i16
// CHECK-DAG: %[[SHIFT:.*]] = arith.constant 7 : i16
// CHECK-DAG: %[[UNBIAS:.*]] = arith.constant 2.560000e+02 : f32
// CHECK-DAG: %[[QNAN:.*]] = arith.constant 0x7FC00000 : f32
// CHECK: %[[BYTE:.*]] = arith.bitcast %{{.*}} : f8E4M3FN to i8
// CHECK: %[[BITS:.*]] = arith.extui %[[BYTE]] : i8 to i16
// CHECK: %[[MAGNITUDE:.*]] = arith.andi %[[BITS]], %[[MAGNITUDE_MASK]] : i16
// CHECK: %[[FIELDS:.*]] = arith.shli %[[MAGNITUDE]], %[[SHIFT]] : i16
// CHECK: %[[HALF_BITS:.*]] = arith.ori %{{.*}}, %[[FIELDS]] : i16
// CHECK: %[[HALF:.*]] = arith.bitcast %[[HALF_BITS]] : i16 to f16
// CHECK: %[[WIDE:.*]] = arith.extf %[[HALF]] : f16 to f32
// CHECK: %[[VALUE:.*]] = arith.mulf %[[WIDE]], %[[UNBIAS]] : f32
// CHECK: %[[IS_NAN:.*]] = arith.cmpi eq, %[[MAGNITUDE]], %[[MAGNITUDE_MASK]] : i16
// CHECK: %[[F:.*]] = arith.select %[[IS_NAN]], %[[QNAN]], %[[VALUE]] : f32
// CHECK: return %[[F]]
// HW-LABEL: func.func @e4m3fn
// HW-DAG: %[[ZERO:.*]] = arith.constant 0 : i8
// HW: %[[BYTE:.*]] = arith.bitcast %{{.*}} : f8E4M3FN to i8
// HW: %[[LOW:.*]] = llvm.insertelement %[[BYTE]]
// HW: %[[PAIR:.*]] = llvm.insertelement %[[ZERO]], %[[LOW]]
// HW: %[[HALVES:.*]] = nvvm.convert.f8x2.to.f16x2 %[[PAIR]] : vector<2xi8>(f8E4M3FN) -> vector<2xf16>
// HW: %[[HALF:.*]] = llvm.extractelement %[[HALVES]]
// HW: %[[F:.*]] = arith.extf %[[HALF]] : f16 to f32
// HW: return %[[F]]
func.func @e4m3fn(%q: f8E4M3FN) -> f32 {
  %0 = arith.extf %q : f8E4M3FN to f32
  return %0 : f32
}

// -----

// E5M2 is f16's upper byte (same exponent bias, infinities and NaNs
// included); to bf16, through f32 and an exact rounding.
// CHECK-LABEL: func.func @e5m2_to_bf16
// CHECK-DAG: %[[C8:.*]] = arith.constant 8 : i16
// CHECK: %[[BYTE:.*]] = arith.bitcast %{{.*}} : f8E5M2 to i8
// CHECK: %[[BITS:.*]] = arith.extui %[[BYTE]] : i8 to i16
// CHECK: %[[HALF_BITS:.*]] = arith.shli %[[BITS]], %[[C8]] : i16
// CHECK: %[[HALF:.*]] = arith.bitcast %[[HALF_BITS]] : i16 to f16
// CHECK: %[[WIDE:.*]] = arith.extf %[[HALF]] : f16 to f32
// CHECK: arith.truncf %[[WIDE]] : f32 to bf16
// HW-LABEL: func.func @e5m2_to_bf16
// HW: nvvm.convert.f8x2.to.f16x2 %{{.*}} : vector<2xi8>(f8E5M2) -> vector<2xf16>
// HW: arith.truncf %{{.*}} : f32 to bf16
func.func @e5m2_to_bf16(%q: f8E5M2) -> bf16 {
  %0 = arith.extf %q : f8E5M2 to bf16
  return %0 : bf16
}

// -----

// To f64: through f32, widened exactly.
// CHECK-LABEL: func.func @e4m3fn_to_f64
// CHECK: %[[F:.*]] = arith.select
// CHECK: arith.extf %[[F]] : f32 to f64
// HW-LABEL: func.func @e4m3fn_to_f64
// HW: %[[F:.*]] = arith.extf %{{.*}} : f16 to f32
// HW: arith.extf %[[F]] : f32 to f64
func.func @e4m3fn_to_f64(%q: f8E4M3FN) -> f64 {
  %0 = arith.extf %q : f8E4M3FN to f64
  return %0 : f64
}

// -----

// Other widenings stay.
// CHECK-LABEL: func.func @f16
// CHECK-NEXT: arith.extf %{{.*}} : f16 to f32
// HW-LABEL: func.func @f16
// HW-NEXT: arith.extf %{{.*}} : f16 to f32
func.func @f16(%x: f16) -> f32 {
  %0 = arith.extf %x : f16 to f32
  return %0 : f32
}
