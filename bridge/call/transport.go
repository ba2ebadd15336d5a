package call

import (
	"context"

	"github.com/callscribe/callscribe/bridge"
)

// Transport returns the hub as the bridge.Calls that transports take, so
// that they depend on the small interface and not on this package:
//
//	twilio.NewServer(cfg, hub.Transport(), transcriber, admission)
func (h *Hub) Transport() bridge.Calls { return transportCalls{h} }

type transportCalls struct{ hub *Hub }

func (t transportCalls) Start(ctx context.Context, req bridge.StreamStart) (bridge.Stream, error) {
	s, err := t.hub.Start(ctx, req)
	if err != nil {
		// A nil *Stream in a bridge.Stream would not compare equal to nil.
		return nil, err
	}
	return s, nil
}
