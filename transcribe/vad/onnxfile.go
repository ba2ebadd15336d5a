package vad

import "fmt"

// ONNX protobuf field numbers used here (onnx.proto, IR version 3 onwards).
const (
	modelGraph = 7 // ModelProto.graph

	graphNode        = 1 // GraphProto.node
	graphInitializer = 5 // GraphProto.initializer

	nodeInput     = 1 // NodeProto.input
	nodeOutput    = 2 // NodeProto.output
	nodeOpType    = 4 // NodeProto.op_type
	nodeAttribute = 5 // NodeProto.attribute

	attrTensor = 5  // AttributeProto.t
	attrGraph  = 6  // AttributeProto.g
	attrGraphs = 11 // AttributeProto.graphs

	tensorDims         = 1  // TensorProto.dims
	tensorDataType     = 2  // TensorProto.data_type
	tensorFloatData    = 4  // TensorProto.float_data
	tensorName         = 8  // TensorProto.name
	tensorRawData      = 9  // TensorProto.raw_data
	tensorDataLocation = 14 // TensorProto.data_location

	dataTypeFloat    = 1 // TensorProto.DataType FLOAT
	locationExternal = 1 // TensorProto.DataLocation EXTERNAL
)

// maxGraphDepth bounds recursion into If/Loop subgraphs. Silero exports nest
// four deep; the bound keeps a hostile file from exhausting the stack.
const maxGraphDepth = 16

// onnxContents is what Load needs from a model file: every stored tensor by
// name, and the weight inputs (W, R, B) of each LSTM node, which some exports
// store under generated names that only the node links to the LSTM.
type onnxContents struct {
	tensors map[string]*onnxTensor
	lstms   [][]string
}

// readONNX scans a serialised ModelProto.
func readONNX(buf []byte) (*onnxContents, error) {
	c := &onnxContents{tensors: make(map[string]*onnxTensor)}
	r := protoReader{buf: buf}
	sawGraph := false
	for {
		f, ok, err := r.next()
		if err != nil || !ok {
			if err == nil && !sawGraph {
				err = fmt.Errorf("%w: no graph in the file", ErrMalformedModel)
			}
			return c, err
		}
		if f.num == modelGraph && f.wireType == wireBytes {
			sawGraph = true
			if err := c.readGraph(f.bytes, 0); err != nil {
				return c, err
			}
		}
	}
}

func (c *onnxContents) readGraph(buf []byte, depth int) error {
	if depth > maxGraphDepth {
		return fmt.Errorf("%w: subgraphs nested deeper than %d", ErrMalformedModel, maxGraphDepth)
	}
	r := protoReader{buf: buf}
	for {
		f, ok, err := r.next()
		if err != nil || !ok {
			return err
		}
		if f.wireType != wireBytes {
			continue
		}
		switch f.num {
		case graphInitializer:
			t, err := readTensor(f.bytes)
			if err != nil {
				return err
			}
			c.tensors[t.name] = t
		case graphNode:
			if err := c.readNode(f.bytes, depth); err != nil {
				return err
			}
		}
	}
}

func (c *onnxContents) readNode(buf []byte, depth int) error {
	var inputs, outputs []string
	var opType string
	var attrs [][]byte
	r := protoReader{buf: buf}
	for {
		f, ok, err := r.next()
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		if f.wireType != wireBytes {
			continue
		}
		switch f.num {
		case nodeInput:
			inputs = append(inputs, string(f.bytes))
		case nodeOutput:
			outputs = append(outputs, string(f.bytes))
		case nodeOpType:
			opType = string(f.bytes)
		case nodeAttribute:
			attrs = append(attrs, f.bytes)
		}
	}
	if opType == "LSTM" {
		c.lstms = append(c.lstms, inputs)
	}
	for _, a := range attrs {
		if err := c.readAttribute(a, opType, outputs, depth); err != nil {
			return err
		}
	}
	return nil
}

func (c *onnxContents) readAttribute(buf []byte, opType string, outputs []string, depth int) error {
	r := protoReader{buf: buf}
	for {
		f, ok, err := r.next()
		if err != nil || !ok {
			return err
		}
		if f.wireType != wireBytes {
			continue
		}
		switch f.num {
		case attrTensor:
			if opType != "Constant" || len(outputs) == 0 {
				continue
			}
			t, err := readTensor(f.bytes)
			if err != nil {
				return err
			}
			// The graph refers to a Constant's value by the node's output.
			t.name = outputs[0]
			c.tensors[t.name] = t
		case attrGraph, attrGraphs:
			if err := c.readGraph(f.bytes, depth+1); err != nil {
				return err
			}
		}
	}
}
