// RUN: tern-opt %s -split-input-file -tern-signless-integers -verify-diagnostics | FileCheck %s

// Order: both operands' top bits flipped (+ -128, wrapping), the signed max,
// flipped back; the entry keeps the caller's view in tern.unsigned.
// CHECK-LABEL: func.func @max
// CHECK-SAME: (%[[A:.*]]: tensor<4xi8> {tern.name = "a", tern.unsigned}, %[[B:.*]]: tensor<4xi8> {tern.name = "b", tern.unsigned})
// CHECK-SAME: -> (tensor<4xi8> {tern.name = "m", tern.unsigned})
// CHECK: %[[MIN:.*]] = tern.constant dense<-128> : tensor<i8>
// CHECK: %[[FA:.*]] = tern.add %[[A]], %[[MIN]]
// CHECK: %[[FB:.*]] = tern.add %[[B]], %{{.*}}
// CHECK: %[[M:.*]] = tern.max %[[FA]], %[[FB]] : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
// CHECK: %[[R:.*]] = tern.add %[[M]], %{{.*}}
// CHECK: return %[[R]]
func.func @max(%a: tensor<4xui8> {tern.name = "a"}, %b: tensor<4xui8> {tern.name = "b"})
    -> (tensor<4xui8> {tern.name = "m"}) {
  %0 = tern.max %a, %b : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  return %0 : tensor<4xui8>
}

// -----

// Comparisons flip both sides and keep their boolean result.
// CHECK-LABEL: func.func @less
// CHECK: tern.add
// CHECK: tern.add
// CHECK: %[[LT:.*]] = tern.lt %{{.*}}, %{{.*}} : (tensor<4xi16>, tensor<4xi16>) -> tensor<4xi1>
// CHECK-NEXT: return %[[LT]]
func.func @less(%a: tensor<4xui16>, %b: tensor<4xui16>) -> tensor<4xi1> {
  %0 = tern.lt %a, %b : (tensor<4xui16>, tensor<4xui16>) -> tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

// Division: zero-extended to twice the width (a sign extension plus 2^8
// where negative), divided signed, truncated.
// CHECK-LABEL: func.func @div
// CHECK: %[[X:.*]] = tern.cast %{{.*}} : tensor<4xi8> to tensor<4xi16>
// CHECK: %[[NEG:.*]] = tern.lt
// CHECK: %[[C256:.*]] = tern.constant dense<256> : tensor<i16>
// CHECK: %[[XC:.*]] = tern.add %[[X]], %[[C256]]
// CHECK: tern.where %[[NEG]], %[[XC]], %[[X]]
// CHECK: %[[Q:.*]] = tern.div %{{.*}}, %{{.*}} : (tensor<4xi16>, tensor<4xi16>) -> tensor<4xi16>
// CHECK: %[[R:.*]] = tern.cast %[[Q]] : tensor<4xi16> to tensor<4xi8>
// CHECK: return %[[R]]
func.func @div(%a: tensor<4xui8>, %b: tensor<4xui8>) -> tensor<4xui8> {
  %0 = tern.div %a, %b : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  return %0 : tensor<4xui8>
}

// -----

// Casts: from unsigned to a float through the zero extension; from a float
// to unsigned through the signed type of twice the width; constants keep
// their bits; wrapping add needs nothing.
// CHECK-LABEL: func.func @casts
// CHECK: %[[C:.*]] = tern.constant dense<-1> : tensor<2xi32>
// CHECK: %[[S:.*]] = tern.add %{{.*}}, %[[C]] : (tensor<2xi32>, tensor<2xi32>) -> tensor<2xi32>
// CHECK: %[[W:.*]] = tern.cast %[[S]] : tensor<2xi32> to tensor<2xi64>
// CHECK: %[[Z:.*]] = tern.where
// CHECK: tern.cast %[[Z]] : tensor<2xi64> to tensor<2xf32>
// CHECK: %[[F:.*]] = tern.cast %{{.*}} : tensor<2xf32> to tensor<2xi16>
// CHECK: tern.cast %[[F]] : tensor<2xi16> to tensor<2xi8>
func.func @casts(%a: tensor<2xui32>, %f: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xui8>) {
  %c = tern.constant dense<4294967295> : tensor<2xui32>
  %s = tern.add %a, %c : (tensor<2xui32>, tensor<2xui32>) -> tensor<2xui32>
  %0 = tern.cast %s : tensor<2xui32> to tensor<2xf32>
  %1 = tern.cast %f : tensor<2xf32> to tensor<2xui8>
  return %0, %1 : tensor<2xf32>, tensor<2xui8>
}

// -----

// Signed integers are left alone.
// CHECK-LABEL: func.func @signed
// CHECK-NEXT: tern.max %{{.*}}, %{{.*}} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
// CHECK-NEXT: return
func.func @signed(%a: tensor<4xi8>, %b: tensor<4xi8>) -> tensor<4xi8> {
  %0 = tern.max %a, %b : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

// uint8 (de)quantization: dequantize reads the data and zero point
// zero-extended to i16; quantize goes to i32 (zero point zero-extended),
// is clamped to [0, 255] and truncated.
// CHECK-LABEL: func.func @quant_uint8
// CHECK: %[[Z32:.*]] = tern.where {{.*}} -> tensor<i32>
// CHECK: %[[Q:.*]] = tern.quantize %{{.*}}, %{{.*}} zero_point %[[Z32]] : (tensor<4xf32>, tensor<f32>, tensor<i32>) -> tensor<4xi32>
// CHECK: %[[LO:.*]] = tern.max %[[Q]], %{{.*}} : (tensor<4xi32>, tensor<i32>) -> tensor<4xi32>
// CHECK: %[[C255:.*]] = tern.constant dense<255> : tensor<i32>
// CHECK: %[[HI:.*]] = tern.min %[[LO]], %[[C255]]
// CHECK: %[[Q8:.*]] = tern.cast %[[HI]] : tensor<4xi32> to tensor<4xi8>
// CHECK: tern.dequantize %{{.*}}, %{{.*}} zero_point %{{.*}} : (tensor<4xi16>, tensor<f32>, tensor<i16>) -> tensor<4xf32>
func.func @quant_uint8(%x: tensor<4xf32>, %s: tensor<f32>, %z: tensor<ui8>) -> tensor<4xf32> {
  %q = tern.quantize %x, %s zero_point %z : (tensor<4xf32>, tensor<f32>, tensor<ui8>) -> tensor<4xui8>
  %d = tern.dequantize %q, %s zero_point %z : (tensor<4xui8>, tensor<f32>, tensor<ui8>) -> tensor<4xf32>
  return %d : tensor<4xf32>
}

// -----

func.func @div64(%a: tensor<4xui64>, %b: tensor<4xui64>) -> tensor<4xui64> {
  // expected-error @+1 {{'tern.div' op divides 64-bit unsigned integers, which Tern does not compute (it has no wider integer to divide them in)}}
  %0 = tern.div %a, %b : (tensor<4xui64>, tensor<4xui64>) -> tensor<4xui64>
  return %0 : tensor<4xui64>
}
