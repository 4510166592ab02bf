#!/usr/bin/python3
"""Checks an ONNX file with Debian's python3-onnx (full check, with shape inference) and prints
its opset, inputs, outputs and metadata as "key=value" lines for the Java test to assert on."""
import sys
import onnx

model = onnx.load(sys.argv[1])
onnx.checker.check_model(model, full_check=True)
print("ir_version=%d" % model.ir_version)
print("opset=%d" % model.opset_import[0].version)
for kind, values in (("input", model.graph.input), ("output", model.graph.output)):
    for v in values:
        dims = [d.dim_param or str(d.dim_value) for d in v.type.tensor_type.shape.dim]
        print("%s.%s=%s" % (kind, v.name, "x".join(dims)))
for p in model.metadata_props:
    print("meta.%s=%s" % (p.key, p.value))
