package engine

import (
	"fmt"
	"strings"

	whisperbind "github.com/ggerganov/whisper.cpp/bindings/go"
)

// Languages lists the language codes whisper.cpp knows, in its id order.
// It uses the official Go bindings' package-level functions: they need no
// whisper_context, so sharing them with our own states is safe.
func Languages() []string {
	n := whisperbind.Whisper_lang_max_id()
	langs := make([]string, 0, n+1)
	for id := 0; id <= n; id++ {
		langs = append(langs, whisperbind.Whisper_lang_str(id))
	}
	return langs
}

// SystemInfo reports the CPU features whisper.cpp and ggml were built for
// and found, via the official bindings.
func SystemInfo() string { return strings.TrimSpace(whisperbind.Whisper_print_system_info()) }

// language resolves a requested language for this model: English-only
// models decode only "en"; "auto" asks a multilingual model to detect it.
func (m *Model) language(lang string) (string, error) {
	lang = strings.ToLower(strings.TrimSpace(lang))
	switch {
	case lang == "" && !m.Multilingual():
		return "en", nil
	case lang == "" || lang == "auto":
		if !m.Multilingual() {
			return "en", nil
		}
		return "auto", nil
	case !m.Multilingual() && lang != "en":
		return "", fmt.Errorf("%w: %q (this model is English-only)", ErrLanguage, lang)
	}
	for _, l := range Languages() {
		if l == lang {
			return lang, nil
		}
	}
	return "", fmt.Errorf("%w: %q", ErrLanguage, lang)
}
