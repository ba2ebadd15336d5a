package whiptest

import (
	"net"
	"sync/atomic"
)

// cuttable is a UDP socket that can stop carrying packets.
type cuttable struct {
	*net.UDPConn
	cut  atomic.Bool
	once atomic.Bool
}

// ReadFrom drops what arrives once cut.
func (c *cuttable) ReadFrom(b []byte) (int, net.Addr, error) {
	for {
		n, addr, err := c.UDPConn.ReadFrom(b)
		if err != nil || !c.cut.Load() {
			return n, addr, err
		}
	}
}

// WriteTo pretends to send once cut.
func (c *cuttable) WriteTo(b []byte, addr net.Addr) (int, error) {
	if c.cut.Load() {
		return len(b), nil
	}
	return c.UDPConn.WriteTo(b, addr)
}

// Close closes the socket once: pion's mux and the client both close it.
func (c *cuttable) Close() error {
	if c.once.Swap(true) {
		return nil
	}
	return c.UDPConn.Close()
}
