/*
 * fuzz-script.c: libFuzzer harness for the script loader (make fuzz).
 * Any input must give CER_OK or a clean error, never a crash, a leak or
 * undefined behaviour.
 */
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "script/script.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cer_script *s = NULL;

	if (cer_script_parse("fuzz.yaml", data, size, &s) == CER_OK)
		cer_script_free(s);
	cer_err_clear();
	return 0;
}
