// runlen.h from C++: the extern "C" guard gives unmangled names (this links only if it
// works), and the declared types are checked at compile time.
#include <cstdio>
#include <cstring>
#include <type_traits>

#include "runlen.h"

static_assert(std::is_same<decltype(&runlen_encode),
                           int (*)(uint8_t *, size_t, const uint8_t *, size_t, size_t *)>::value,
              "runlen_encode");
static_assert(std::is_same<decltype(&runlen_decode),
                           int (*)(uint8_t *, size_t, const uint8_t *, size_t, size_t *)>::value,
              "runlen_decode");
static_assert(std::is_same<decltype(&runlen_decoded_len),
                           int (*)(const uint8_t *, size_t, size_t *)>::value,
              "runlen_decoded_len");
static_assert(std::is_same<decltype(&runlen_encode_unchecked),
                           size_t (*)(uint8_t *, const uint8_t *, size_t)>::value,
              "runlen_encode_unchecked");
static_assert(std::is_same<decltype(&runlen_encoded_len),
                           size_t (*)(const uint8_t *, size_t)>::value,
              "runlen_encoded_len");
static_assert(std::is_same<decltype(&runlen_max_encoded_len), size_t (*)(size_t)>::value,
              "runlen_max_encoded_len");
static_assert(std::is_same<decltype(&runlen_backend), const char *(*)()>::value,
              "runlen_backend");
static_assert(std::is_same<decltype(&runlen_strerror), const char *(*)(int)>::value,
              "runlen_strerror");

int main() {
    const uint8_t in[] = {'a', 'a', 'a', 'b'};
    uint8_t enc[8];
    uint8_t dec[4];
    size_t n = 0, m = 0, len = 0;
    bool ok = runlen_encode(enc, sizeof enc, in, sizeof in, &n) == RUNLEN_OK && n == 4 &&
              std::memcmp(enc, "a\003b\001", 4) == 0 &&
              runlen_encode_unchecked(enc, in, sizeof in) == 4 &&
              runlen_encoded_len(in, sizeof in) == 4 &&
              runlen_max_encoded_len(4) == 8 &&
              runlen_decoded_len(enc, n, &len) == RUNLEN_OK && len == 4 &&
              runlen_decode(dec, sizeof dec, enc, n, &m) == RUNLEN_OK && m == 4 &&
              std::memcmp(dec, in, 4) == 0 &&
              runlen_decode(dec, sizeof dec, enc, 3, &m) == RUNLEN_ERR_TRUNCATED_PAIR &&
              runlen_backend() != nullptr && runlen_strerror(-99) != nullptr;
    std::printf("test_cxx: %d passed, %d failed\n", ok ? 1 : 0, ok ? 0 : 1);
    return ok ? 0 : 1;
}
