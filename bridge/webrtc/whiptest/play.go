package whiptest

import (
	"context"
	"math/rand/v2"
	"time"

	"github.com/pion/rtp"
)

// Play says how Client.Play sends its packets: in real time, and damaged
// the way a network damages them.
type Play struct {
	// Frame is each packet's length of audio: one packet per track goes
	// out every Frame. Default 20 ms.
	Frame time.Duration
	// Ticks is the RTP clock ticks per packet: 960 for 20 ms of Opus, 160
	// for 20 ms of G.711.
	Ticks uint32
	// Loss is the share of packets never sent; Reorder the share sent
	// after the packet that follows them. The first and the last packet
	// of a track are always sent, so that the stream's length is known.
	Loss, Reorder float64
	// Seed makes the damage repeatable.
	Seed uint64
	// FirstSeq and FirstTimestamp start each track's numbering.
	FirstSeq       uint16
	FirstTimestamp uint32
}

// Played counts what Play did to each track.
type Played struct {
	Sent, Lost, Reordered int
}

// Play sends payloads[i] on track i, packet k of every track at the
// start plus k Frames, with sequence numbers and timestamps that count up
// from the first, as a live sender does; loss and reordering as p says.
func (c *Client) Play(ctx context.Context, p Play, payloads ...[][]byte) ([]Played, error) {
	if p.Frame == 0 {
		p.Frame = 20 * time.Millisecond
	}
	rng := rand.New(rand.NewPCG(p.Seed, p.Seed^0x9e3779b97f4a7c15))
	played := make([]Played, len(payloads))
	held := make([]*rtp.Packet, len(payloads))
	n := 0
	for _, ps := range payloads {
		n = max(n, len(ps))
	}
	start := time.Now()
	for k := 0; k <= n; k++ {
		if d := time.Until(start.Add(time.Duration(k) * p.Frame)); d > 0 {
			t := time.NewTimer(d)
			select {
			case <-ctx.Done():
				t.Stop()
				return played, ctx.Err()
			case <-t.C:
			}
		}
		for i, ps := range payloads {
			var pkt *rtp.Packet
			if k < len(ps) {
				pkt = &rtp.Packet{Header: rtp.Header{Version: 2, Marker: k == 0,
					SequenceNumber: p.FirstSeq + uint16(k), Timestamp: p.FirstTimestamp + uint32(k)*p.Ticks}, Payload: ps[k]}
			}
			r := rng.Float64()
			switch {
			case pkt == nil:
			case k == 0 || k == len(ps)-1:
			case r < p.Loss:
				played[i].Lost++
				pkt = nil
			case r < p.Loss+p.Reorder && held[i] == nil:
				played[i].Reordered++
				held[i], pkt = pkt, nil
				continue
			}
			for _, out := range []*rtp.Packet{pkt, held[i]} {
				if out == nil {
					continue
				}
				if err := c.WriteRTP(i, out); err != nil {
					return played, err
				}
				played[i].Sent++
			}
			held[i] = nil
		}
	}
	return played, nil
}
