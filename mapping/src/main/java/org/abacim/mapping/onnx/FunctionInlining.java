package org.abacim.mapping.onnx;

import ai.onnx.proto.OnnxMl;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.abacim.core.data.DataException;

/**
 * A model's local functions (ONNX FunctionProto: PyTorch 2's exporter without its optimizer, onnxscript models)
 * written out where they are called, so that the importer sees plain operators. Each call's inner values get a
 * prefix of their own; an attribute that refers to the caller's ({@code ref_attr_name}) takes the caller's value, or
 * the function's default, or is left out; calls inside a function are expanded too, at most {@link #DEPTH} deep.
 */
final class FunctionInlining {
    /** Nested calls deeper than this are taken for a cycle. */
    static final int DEPTH = 32;

    private FunctionInlining() {}

    private record Key(String domain, String name) {}

    /** {@code model} with every call of its local functions expanded (the model itself when it has none). */
    static OnnxMl.ModelProto inline(OnnxMl.ModelProto model, String source) {
        if (model.getFunctionsCount() == 0) return model;
        Map<Key, OnnxMl.FunctionProto> functions = new HashMap<>();
        for (OnnxMl.FunctionProto f : model.getFunctionsList()) functions.put(new Key(f.getDomain(), f.getName()), f);
        Set<String> taken = new HashSet<>();
        OnnxMl.GraphProto g = model.getGraph();
        for (OnnxMl.NodeProto n : g.getNodeList()) taken.addAll(n.getOutputList());
        for (OnnxMl.TensorProto t : g.getInitializerList()) taken.add(t.getName());
        for (OnnxMl.ValueInfoProto v : g.getInputList()) taken.add(v.getName());
        int[] calls = {0};
        List<OnnxMl.NodeProto> nodes = new ArrayList<>();
        for (OnnxMl.NodeProto n : g.getNodeList()) expand(n, functions, taken, calls, 0, nodes, source);
        return model.toBuilder().setGraph(g.toBuilder().clearNode().addAllNode(nodes)).clearFunctions().build();
    }

    private static void expand(OnnxMl.NodeProto call, Map<Key, OnnxMl.FunctionProto> functions, Set<String> taken,
                               int[] calls, int depth, List<OnnxMl.NodeProto> out, String source) {
        OnnxMl.FunctionProto f = functions.get(new Key(call.getDomain(), call.getOpType()));
        if (f == null) {
            out.add(call);
            return;
        }
        if (depth >= DEPTH) {
            throw new DataException(source + ": function " + f.getDomain() + "." + f.getName() + " calls itself (through "
                    + DEPTH + " levels of local functions)");
        }
        String prefix;
        do {
            prefix = (call.getName().isEmpty() ? f.getName() : call.getName()) + "/" + calls[0]++ + "/";
        } while (taken.contains(prefix));
        Map<String, String> rename = new HashMap<>();
        for (int i = 0; i < f.getInputCount(); i++) rename.put(f.getInput(i), i < call.getInputCount() ? call.getInput(i) : "");
        for (int i = 0; i < f.getOutputCount(); i++) {
            if (i < call.getOutputCount()) rename.put(f.getOutput(i), call.getOutput(i));
        }
        Map<String, OnnxMl.AttributeProto> given = new HashMap<>();
        for (OnnxMl.AttributeProto a : f.getAttributeProtoList()) given.put(a.getName(), a);
        for (OnnxMl.AttributeProto a : call.getAttributeList()) given.put(a.getName(), a);
        for (OnnxMl.NodeProto inner : f.getNodeList()) {
            OnnxMl.NodeProto.Builder b = inner.toBuilder().clearInput().clearOutput().clearAttribute()
                    .setName(prefix + (inner.getName().isEmpty() ? inner.getOpType() : inner.getName()));
            for (String in : inner.getInputList()) b.addInput(in.isEmpty() ? "" : renamed(in, rename, prefix, taken));
            for (String o : inner.getOutputList()) b.addOutput(o.isEmpty() ? "" : renamed(o, rename, prefix, taken));
            for (OnnxMl.AttributeProto a : inner.getAttributeList()) {
                if (!a.getRefAttrName().isEmpty()) {
                    OnnxMl.AttributeProto value = given.get(a.getRefAttrName());
                    if (value != null) b.addAttribute(value.toBuilder().setName(a.getName()).clearRefAttrName());
                } else {
                    b.addAttribute(a);
                }
            }
            expand(b.build(), functions, taken, calls, depth + 1, out, source);
        }
    }

    /** A function's value as the caller sees it: a formal input or output, or an inner value under the call's prefix. */
    private static String renamed(String name, Map<String, String> rename, String prefix, Set<String> taken) {
        String r = rename.get(name);
        if (r != null) return r;
        String inner = prefix + name;
        rename.put(name, inner);
        taken.add(inner);
        return inner;
    }
}
