package org.teachlearn.learn.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A float32 ONNX graph under construction, written as a model file ({@code onnx.proto}, IR version
 * 8, opset 17 — what Debian's python3-onnx checks and ONNX Runtime 1.21 runs). Only what policies
 * need: float tensors, nodes with int and float attributes, inputs and outputs with a symbolic
 * batch dimension, and metadata.
 */
public final class OnnxGraph {

    static final int IR_VERSION = 8;
    static final int OPSET = 17;
    private static final int FLOAT = 1, INT64 = 7;
    private static final int ATTR_FLOAT = 1, ATTR_INT = 2;

    private final String name;
    private final List<ProtoWriter> nodes = new ArrayList<>();
    private final List<ProtoWriter> initializers = new ArrayList<>();
    private final List<ProtoWriter> inputs = new ArrayList<>();
    private final List<ProtoWriter> outputs = new ArrayList<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private int counter;

    public OnnxGraph(String name) {
        this.name = name;
    }

    /** A constant float tensor of the given shape; returns its name. */
    public String constant(String name, long[] shape, double[] values) {
        long n = 1;
        for (long d : shape) n *= d;
        if (n != values.length) throw new IllegalArgumentException("tensor " + name + " has " + values.length + " values for shape of " + n);
        ByteBuffer raw = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) raw.putFloat((float) v);
        ProtoWriter t = new ProtoWriter();
        if (shape.length > 0) t.packedInt64(1, shape);
        t.int64(2, FLOAT).string(8, name).bytes(9, raw.array());
        initializers.add(t);
        return name;
    }

    /** A constant int64 tensor (shapes, axes) of the given shape; returns its name. */
    public String int64Constant(String name, long[] shape, long[] values) {
        ByteBuffer raw = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) raw.putLong(v);
        ProtoWriter t = new ProtoWriter();
        if (shape.length > 0) t.packedInt64(1, shape);
        t.int64(2, INT64).string(8, name).bytes(9, raw.array());
        initializers.add(t);
        return name;
    }

    public String scalar(String name, double value) {
        return constant(name, new long[0], new double[] {value});
    }

    /** Adds a node; returns the name of its (first) output. Attributes are name/value pairs (Long or Double). */
    public String node(String opType, String[] in, Object... attributes) {
        String out = opType.toLowerCase() + "_" + (counter++);
        return node(opType, in, out, attributes);
    }

    public String node(String opType, String[] in, String out, Object... attributes) {
        ProtoWriter n = new ProtoWriter();
        for (String i : in) n.string(1, i);
        n.string(2, out).string(3, out).string(4, opType);
        for (int a = 0; a < attributes.length; a += 2) {
            ProtoWriter attr = new ProtoWriter().string(1, (String) attributes[a]);
            Object v = attributes[a + 1];
            if (v instanceof Long l) attr.int64(3, l).int64(20, ATTR_INT);
            else if (v instanceof Double d) attr.float32(2, d.floatValue()).int64(20, ATTR_FLOAT);
            else throw new IllegalArgumentException("attribute " + attributes[a] + " must be a Long or a Double");
            n.message(5, attr);
        }
        nodes.add(n);
        return out;
    }

    /** A float input or output; a dimension of −1 is the symbolic {@code batch}. */
    public void input(String name, long... shape) {
        inputs.add(valueInfo(name, shape));
    }

    public void output(String name, long... shape) {
        outputs.add(valueInfo(name, shape));
    }

    private static ProtoWriter valueInfo(String name, long[] shape) {
        ProtoWriter dims = new ProtoWriter();
        for (long d : shape) {
            dims.message(1, d < 0 ? new ProtoWriter().string(2, "batch") : new ProtoWriter().int64(1, d));
        }
        ProtoWriter tensor = new ProtoWriter().int64(1, FLOAT).message(2, dims);
        return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensor));
    }

    public void metadata(String key, String value) {
        metadata.put(key, value);
    }

    /** The model file's bytes. */
    public byte[] toBytes(String producerVersion, long modelVersion, String doc) {
        ProtoWriter graph = new ProtoWriter();
        for (ProtoWriter n : nodes) graph.message(1, n);
        graph.string(2, name);
        for (ProtoWriter t : initializers) graph.message(5, t);
        for (ProtoWriter i : inputs) graph.message(11, i);
        for (ProtoWriter o : outputs) graph.message(12, o);
        ProtoWriter model = new ProtoWriter().int64(1, IR_VERSION)
                .message(8, new ProtoWriter().string(1, "").int64(2, OPSET))
                .string(2, "teach_learn").string(3, producerVersion).string(4, "org.teachlearn")
                .int64(5, modelVersion).string(6, doc).message(7, graph);
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            model.message(14, new ProtoWriter().string(1, e.getKey()).string(2, e.getValue()));
        }
        return model.toByteArray();
    }
}
