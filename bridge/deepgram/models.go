package deepgram

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
)

// Model is the Whisper model that serves every request.
type Model struct {
	// Name, Version and Arch fill metadata.model_info, e.g.
	// "whisper-tiny.en", "whisper.cpp 1.9.5", "whisper".
	Name, Version, Arch string
}

// deepgramFamilies are the prefixes of Deepgram's model names (nova-3,
// nova-2-phonecall, enhanced-meeting, base, whisper-large, ...): each is
// served by the configured model.
var deepgramFamilies = []string{"nova", "enhanced", "base", "whisper", "general", "meeting", "phonecall",
	"finance", "conversationalai", "voicemail", "video", "medical", "drivethru", "automotive"}

// known reports whether name is a Deepgram model name.
func known(name string) bool {
	n := strings.ToLower(name)
	for _, f := range deepgramFamilies {
		if n == f || strings.HasPrefix(n, f+"-") {
			return true
		}
	}
	return false
}

// info returns the model_info of a request that asked for requested.
func (m Model) info(requested string) ModelInfo {
	mi := ModelInfo{Name: m.Name, Version: m.Version, Arch: m.Arch, Requested: requested}
	switch {
	case requested == "":
		mi.Served = fmt.Sprintf("no model asked for: %s, the server's model", m.Name)
	case known(requested):
		mi.Served = fmt.Sprintf("%s is served by %s, the server's model", requested, m.Name)
	default:
		mi.Served = fmt.Sprintf("unknown model %q: the default, %s, served it", requested, m.Name)
	}
	return mi
}

// uuid is a stable UUID-shaped identity of the model (model_uuid).
func (m Model) uuid() string {
	sum := sha256.Sum256([]byte(m.Name + "\x00" + m.Version))
	h := hex.EncodeToString(sum[:16])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}
