package vulkantest

import (
	"os"
	"testing"
)

// TestMain points the Vulkan loader at lavapipe when CALLSCRIBE_LAVAPIPE_ICD
// names its ICD file (make sets it to the sysroot's), before any model
// loads. ggml shows software devices only when GGML_VK_VISIBLE_DEVICES
// names them; with lavapipe the only driver, it is device 0. Without the
// variable the tests run on whatever Vulkan devices the machine has.
func TestMain(m *testing.M) {
	if icd := os.Getenv("CALLSCRIBE_LAVAPIPE_ICD"); icd != "" {
		// VK_ICD_FILENAMES is the older loaders' name for VK_DRIVER_FILES.
		for _, v := range []string{"VK_DRIVER_FILES", "VK_ICD_FILENAMES"} {
			if err := os.Setenv(v, icd); err != nil {
				panic(err)
			}
		}
		if err := os.Setenv("GGML_VK_VISIBLE_DEVICES", "0"); err != nil {
			panic(err)
		}
	}
	os.Exit(m.Run())
}
