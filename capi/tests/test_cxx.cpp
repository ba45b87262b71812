// runlen.h from C++: the extern "C" guard gives unmangled names (this links only if it
// works), and the declared types are checked at compile time.
#include <cstdio>
#include <cstring>
#include <string>
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
static_assert(std::is_same<decltype(&runlen_version), const char *(*)()>::value,
              "runlen_version");
static_assert(std::is_same<decltype(&runlen_encoder_init), void (*)(runlen_encoder *)>::value,
              "runlen_encoder_init");
static_assert(std::is_same<decltype(&runlen_encoder_chunk),
                           int (*)(runlen_encoder *, uint8_t *, size_t, const uint8_t *, size_t,
                                   size_t *)>::value,
              "runlen_encoder_chunk");
static_assert(std::is_same<decltype(&runlen_encoder_finish),
                           int (*)(runlen_encoder *, uint8_t *, size_t, size_t *)>::value,
              "runlen_encoder_finish");
static_assert(std::is_same<decltype(&runlen_decoder_init), void (*)(runlen_decoder *)>::value,
              "runlen_decoder_init");
static_assert(std::is_same<decltype(&runlen_decoder_chunk),
                           int (*)(runlen_decoder *, uint8_t *, size_t, const uint8_t *, size_t,
                                   size_t *, size_t *)>::value,
              "runlen_decoder_chunk");
static_assert(std::is_same<decltype(&runlen_decoder_finish),
                           int (*)(runlen_decoder *, uint8_t *, size_t, size_t *)>::value,
              "runlen_decoder_finish");
static_assert(sizeof(runlen_encoder) == 32 && alignof(runlen_encoder) == alignof(uint64_t),
              "runlen_encoder layout");
static_assert(sizeof(runlen_decoder) == 32 && alignof(runlen_decoder) == alignof(uint64_t),
              "runlen_decoder layout");

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
              runlen_backend() != nullptr && runlen_strerror(-99) != nullptr &&
              std::to_string(RUNLEN_VERSION_MAJOR) + "." + std::to_string(RUNLEN_VERSION_MINOR) +
                      "." + std::to_string(RUNLEN_VERSION_PATCH) ==
                  runlen_version();
    // The streams, through the C++ spelling of the state types.
    runlen_encoder encoder;
    runlen_decoder decoder;
    size_t used = 0;
    runlen_encoder_init(&encoder);
    runlen_decoder_init(&decoder);
    ok = ok && runlen_encoder_chunk(&encoder, enc, sizeof enc, in, sizeof in, &n) == RUNLEN_OK &&
         n == 2 && runlen_encoder_finish(&encoder, enc + 2, 2, &m) == RUNLEN_OK && m == 2 &&
         std::memcmp(enc, "a\003b\001", 4) == 0 &&
         runlen_decoder_chunk(&decoder, dec, sizeof dec, enc, 4, &used, &m) == RUNLEN_OK &&
         used == 4 && m == 4 && std::memcmp(dec, in, 4) == 0 &&
         runlen_decoder_finish(&decoder, nullptr, 0, &m) == RUNLEN_OK && m == 0;
    std::printf("test_cxx: %d passed, %d failed\n", ok ? 1 : 0, ok ? 0 : 1);
    return ok ? 0 : 1;
}
