#define _GNU_SOURCE
#include <dlfcn.h>
#include <math.h>
#include <string.h>
#include <libgen.h>
#include <ggml-backend.h>

#include "cshim.h"
#include "_cgo_export.h"

static bool cs_abort_cb(void *user_data) {
	cs_decode_guard *g = user_data;
	return __atomic_load_n(&g->abort, __ATOMIC_RELAXED) != 0;
}

static bool cs_encoder_begin_cb(struct whisper_context *ctx, struct whisper_state *state, void *user_data) {
	(void)ctx;
	(void)state;
	cs_decode_guard *g = user_data;
	__atomic_store_n(&g->encoding, 1, __ATOMIC_RELAXED);
	return !cs_abort_cb(user_data);
}

// Once a window has produced max_tokens tokens, only end-of-text may follow:
// a repetition loop then ends early instead of running to the context limit,
// and the fallback logic sees the loop and retries at a higher temperature.
static void cs_logits_cb(struct whisper_context *ctx, struct whisper_state *state,
		const whisper_token_data *tokens, int n_tokens, float *logits, void *user_data) {
	(void)state;
	(void)tokens;
	cs_decode_guard *g = user_data;
	if (g->max_tokens <= 0 || n_tokens < g->max_tokens) {
		return;
	}
	int n_vocab = whisper_n_vocab(ctx);
	for (int i = 0; i < n_vocab; i++) {
		if (i != g->eot) {
			logits[i] = -INFINITY;
		}
	}
}

void cs_install_guard(struct whisper_full_params *p, cs_decode_guard *g) {
	p->abort_callback = cs_abort_cb;
	p->abort_callback_user_data = g;
	p->encoder_begin_callback = cs_encoder_begin_cb;
	p->encoder_begin_callback_user_data = g;
	p->logits_filter_callback = cs_logits_cb;
	p->logits_filter_callback_user_data = g;
}

void cs_guard_abort(cs_decode_guard *g) {
	__atomic_store_n(&g->abort, 1, __ATOMIC_RELAXED);
}

int cs_guard_encoding(cs_decode_guard *g) {
	return __atomic_load_n(&g->encoding, __ATOMIC_RELAXED);
}

static void cs_log_cb(enum ggml_log_level level, const char *text, void *user_data) {
	(void)user_data;
	goEngineLog((int)level, (char *)text);
}

void cs_install_log(void) {
	whisper_log_set(cs_log_cb, NULL);
	ggml_log_set(cs_log_cb, NULL);
}

// cs_lib_dir returns the folder libggml was loaded from, so the CPU backend
// modules can be found beside it (Debian installs them in ggml/backends0).
const char *cs_lib_dir(void) {
	static char dir[4096];
	Dl_info info;
	if (dladdr((void *)ggml_backend_load_all_from_path, &info) == 0 || info.dli_fname == NULL) {
		return "";
	}
	strncpy(dir, info.dli_fname, sizeof(dir) - 1);
	return dirname(dir);
}
