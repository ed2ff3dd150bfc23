#!/usr/bin/env python3
"""Writes hostile and malformed ONNX files for bad-inputs.test into OUTDIR.

Each case is named after what is wrong with it; see the bad inputs in docs/TESTING.md
items 1-14. Only the onnx package (from .venv) is needed.
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]
os.makedirs(out, exist_ok=True)


def path(name):
    return os.path.join(out, name)


def model_with(initializer, nodes=None):
    """y = x + w, with w the given initializer."""
    nodes = nodes or [helper.make_node("Add", ["x", "w"], ["y"], name="add")]
    graph = helper.make_graph(
        nodes, "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [4])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [4])], [initializer])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 23)], ir_version=10)


valid = model_with(numpy_helper.from_array(np.arange(4, dtype=np.float32), "w"))
valid_bytes = valid.SerializeToString()

# 1. Empty file, random bytes, a protobuf cut in the middle of a field.
open(path("empty.onnx"), "wb").close()
with open(path("random.onnx"), "wb") as f:
    f.write(np.random.default_rng(1).integers(0, 256, 4096, dtype=np.uint8).tobytes())
with open(path("truncated.onnx"), "wb") as f:
    f.write(valid_bytes[: len(valid_bytes) - 7])

# 2. 2 GiB or more: a sparse file, refused before it is read.
with open(path("huge.onnx"), "wb") as f:
    f.truncate(2 ** 31)


# 3. Subgraphs nested past protobuf's depth limit, encoded by hand because
#    the Python protobuf library refuses to build such a message itself.
def varint(n):
    b = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        b.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(b)


def field(number, payload):
    return varint(number << 3 | 2) + varint(len(payload)) + payload


graph = b""
for _ in range(300):
    attribute = field(1, b"then_branch") + field(6, graph)  # AttributeProto.name, .g
    node = field(4, b"If") + field(5, attribute)            # NodeProto.op_type, .attribute
    graph = field(1, node)                                   # GraphProto.node
opset = field(1, b"") + bytes([0x10, 23])                    # OperatorSetIdProto
with open(path("deep.onnx"), "wb") as f:
    f.write(bytes([0x08, 10]) + field(8, opset) + field(7, graph))

# 8. raw_data not a multiple of the element size.
w = TensorProto(name="w", data_type=TensorProto.FLOAT, dims=[4], raw_data=b"\0" * 15)
onnx.save(model_with(w), path("raw-not-multiple.onnx"))

# 6. An initializer without a name.
w = numpy_helper.from_array(np.zeros(4, np.float32), "")
onnx.save(model_with(w), path("unnamed-initializer.onnx"))


# 9, 11-14. External data: each case in its own folder with a 64-byte data file.
def external(case, location, offset=None, length=None, inline=False, count=4, file_floats=16):
    folder = path("ext-" + case)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "weights.bin"), "wb") as f:
        f.write(np.arange(file_floats, dtype=np.float32).tobytes())
    w = TensorProto(name="w", data_type=TensorProto.FLOAT, dims=[count])
    w.data_location = TensorProto.EXTERNAL
    entries = [("location", location)]
    if offset is not None:
        entries.append(("offset", offset))
    if length is not None:
        entries.append(("length", length))
    for key, value in entries:
        e = w.external_data.add()
        e.key, e.value = key, value
    if inline:
        w.raw_data = b"\0" * 16
    model = model_with(w)
    for value in list(model.graph.input) + list(model.graph.output):
        value.type.tensor_type.shape.dim[0].dim_value = count
    with open(os.path.join(folder, "model.onnx"), "wb") as f:
        f.write(model.SerializeToString())
    return folder


external("ok", "weights.bin", "16", "16")
# A weight blob at an offset not aligned for f32 (bytes 2..81: 20 floats).
external("misaligned", "weights.bin", "2", "80", count=20, file_floats=32)
external("parent", "../weights.bin")
external("nested-parent", "a/../../weights.bin")
external("absolute", "/etc/passwd")
external("empty", "")
external("negative-offset", "weights.bin", "-5", "16")
external("non-numeric-offset", "weights.bin", "16abc", "16")
external("offset-past-end", "weights.bin", "100", "16")
external("range-past-end", "weights.bin", "56", "16")
external("offset-wrap", "weights.bin", str(2 ** 64 - 8), "16")
external("petabyte", "weights.bin", "0", str(2 ** 50))
external("inline-too", "weights.bin", "0", "16", inline=True)
folder = external("symlink", "link.bin")
os.symlink("weights.bin", os.path.join(folder, "link.bin"))
folder = external("hardlink", "weights.bin")
os.link(os.path.join(folder, "weights.bin"), os.path.join(folder, "second-name.bin"))
