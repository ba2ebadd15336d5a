// Package vulkantest tests the engine on a Vulkan device: real speech
// transcribed on Mesa's lavapipe (a software Vulkan device) against the CPU
// path, the device choice, and a benchmark of the two. It holds no code:
// the tests live apart from package engine's because ggml lists Vulkan
// devices once per process, as its module loads, so the Vulkan loader must
// be pointed at lavapipe before anything in the process loads a model.
package vulkantest
