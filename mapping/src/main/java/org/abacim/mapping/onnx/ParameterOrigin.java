package org.abacim.mapping.onnx;

/**
 * Where one IR parameter came from in an ONNX model: the node that reads it and the initializer holding it, as is
 * or transposed (a MatMul's [in, out], a Gemm's without transB).
 *
 * @param param       weight or bias (Conv, Gemm, MatMul, a folded Add), gamma, beta, mean or variance (BatchNormalization)
 * @param nodeIndex   the node's index in the graph
 * @param input       which of the node's inputs reads the parameter
 * @param initializer the initializer's name, null when other nodes compute the value
 * @param problem     why the tuned value cannot be written back exactly, null when it can
 */
record ParameterOrigin(String layer, String param, String node, String op, int nodeIndex, int input, String initializer,
                       boolean transposed, String problem) {}
