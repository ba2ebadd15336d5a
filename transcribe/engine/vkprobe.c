// Asks the Vulkan loader what kind of device a ggml Vulkan device is. ggml
// reports every Vulkan device as a GPU, lavapipe included, but the device
// choice must tell a real GPU from a software renderer that runs on the
// same CPU cores as the CPU path, only slower. The sysroot ships no Vulkan
// headers, so the few Vulkan 1.0 types used are declared here: their
// layout is fixed by the Vulkan ABI.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdint.h>
#include <string.h>

#include "cshim.h"

typedef void *cs_vk_handle; // VkInstance and VkPhysicalDevice are pointers

struct cs_vk_instance_create_info { // VkInstanceCreateInfo
	int32_t s_type;                 // VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO = 1
	const void *next;
	uint32_t flags;
	const void *application_info;
	uint32_t layer_count;
	const char *const *layer_names;
	uint32_t extension_count;
	const char *const *extension_names;
};

// VkPhysicalDeviceProperties begins with these fields; the rest (limits,
// sparse properties: 824 bytes in all) only needs room.
union cs_vk_properties {
	struct {
		uint32_t api_version, driver_version, vendor_id, device_id;
		int32_t device_type;
		char device_name[256];
	} head;
	uint64_t room[512];
};

typedef void (*cs_vk_fn)(void);
typedef cs_vk_fn (*cs_vk_get_instance_proc_addr)(cs_vk_handle, const char *);
typedef int32_t (*cs_vk_create_instance)(const struct cs_vk_instance_create_info *, const void *, cs_vk_handle *);
typedef void (*cs_vk_destroy_instance)(cs_vk_handle, const void *);
typedef int32_t (*cs_vk_enumerate_physical_devices)(cs_vk_handle, uint32_t *, cs_vk_handle *);
typedef void (*cs_vk_get_physical_device_properties)(cs_vk_handle, union cs_vk_properties *);

// cs_vk_device_type returns the VkPhysicalDeviceType of the device named
// name (ggml's description of a Vulkan device is its deviceName). When two
// drivers show one name, a non-CPU type wins: only a device that is
// software in every driver counts as software.
int cs_vk_device_type(const char *name) {
	// ggml's Vulkan backend linked the loader already; RTLD_NOLOAD keeps
	// this from loading one where it did not.
	void *lib = dlopen("libvulkan.so.1", RTLD_NOW | RTLD_NOLOAD);
	if (lib == NULL) {
		return CS_VK_TYPE_UNKNOWN;
	}
	cs_vk_get_instance_proc_addr get = (cs_vk_get_instance_proc_addr)dlsym(lib, "vkGetInstanceProcAddr");
	if (get == NULL) {
		dlclose(lib);
		return CS_VK_TYPE_UNKNOWN;
	}
	cs_vk_create_instance create = (cs_vk_create_instance)get(NULL, "vkCreateInstance");
	struct cs_vk_instance_create_info info = {.s_type = 1};
	cs_vk_handle instance = NULL;
	if (create == NULL || create(&info, NULL, &instance) != 0) {
		dlclose(lib);
		return CS_VK_TYPE_UNKNOWN;
	}
	cs_vk_destroy_instance destroy = (cs_vk_destroy_instance)get(instance, "vkDestroyInstance");
	cs_vk_enumerate_physical_devices enumerate = (cs_vk_enumerate_physical_devices)get(instance, "vkEnumeratePhysicalDevices");
	cs_vk_get_physical_device_properties props = (cs_vk_get_physical_device_properties)get(instance, "vkGetPhysicalDeviceProperties");
	int found = CS_VK_TYPE_UNKNOWN;
	cs_vk_handle devices[32];
	uint32_t n = 32;
	if (enumerate != NULL && props != NULL && enumerate(instance, &n, devices) >= 0) {
		for (uint32_t i = 0; i < n; i++) {
			union cs_vk_properties p;
			memset(&p, 0, sizeof(p));
			props(devices[i], &p);
			if (strncmp(p.head.device_name, name, sizeof(p.head.device_name)) != 0) {
				continue;
			}
			if (found == CS_VK_TYPE_UNKNOWN || found == CS_VK_TYPE_CPU) {
				found = p.head.device_type;
			}
		}
	}
	if (destroy != NULL) {
		destroy(instance, NULL);
	}
	dlclose(lib);
	return found;
}
