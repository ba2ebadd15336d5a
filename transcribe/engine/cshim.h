// Small C helpers for the engine package: callbacks that whisper.cpp calls
// from its own threads, kept in C so that no decode step crosses into Go.
#ifndef CALLSCRIBE_CSHIM_H
#define CALLSCRIBE_CSHIM_H

#include <stdbool.h>
#include <whisper.h>

// cs_decode_guard is shared between Go and C for one decode: Go sets abort
// to 1 to cancel; C reads it from the abort and encoder-begin callbacks.
// max_tokens caps the tokens of one decoding window (0 = no cap).
typedef struct cs_decode_guard {
	int abort;
	int max_tokens;
	int eot;
	int encoding; // set once the encoder started: lets tests cancel mid-decode
} cs_decode_guard;

void cs_install_guard(struct whisper_full_params *p, cs_decode_guard *g);
void cs_guard_abort(cs_decode_guard *g);
int cs_guard_encoding(cs_decode_guard *g);
void cs_install_log(void);
const char *cs_lib_dir(void);

// Vulkan's VkPhysicalDeviceType values that cs_vk_device_type returns, or
// -1 when no Vulkan physical device has that name.
enum {
	CS_VK_TYPE_UNKNOWN = -1,
	CS_VK_TYPE_OTHER = 0,
	CS_VK_TYPE_INTEGRATED_GPU = 1,
	CS_VK_TYPE_DISCRETE_GPU = 2,
	CS_VK_TYPE_VIRTUAL_GPU = 3,
	CS_VK_TYPE_CPU = 4,
};
int cs_vk_device_type(const char *name);

#endif
