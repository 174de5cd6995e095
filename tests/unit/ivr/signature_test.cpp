// Signed, expiring `sig` parameters for VoiceXML URLs (SPEC §6).
#include "hotline/ivr/signature.hpp"

#include <gtest/gtest.h>

#include <string>

namespace hotline::ivr {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view kSecret = "telephony-secret-1";
const core::TimePoint kNow = core::FromUnixMillis(1'767'225'600'000);

std::string SigOf(const std::string& params) {
  EXPECT_EQ(params.rfind("sig=", 0), 0u) << params;
  return params.substr(4);
}

TEST(IvrSignature, SignedUrlVerifiesUntilItExpires) {
  std::string sig = SigOf(SignUrlParams(kSecret, "call-42", kNow + 10min));
  EXPECT_TRUE(VerifySig(kSecret, "call-42", sig, kNow));
  EXPECT_TRUE(VerifySig(kSecret, "call-42", sig, kNow + 10min - 1ms));
  EXPECT_FALSE(VerifySig(kSecret, "call-42", sig, kNow + 10min));
  EXPECT_FALSE(VerifySig(kSecret, "call-42", sig, kNow + 1h));
}

TEST(IvrSignature, IsUrlSafe) {
  for (const char* id : {"call-1", "通话/7?&=", ""}) {
    std::string sig = SigOf(SignUrlParams(kSecret, id, kNow + 1min));
    for (char c : sig) {
      bool safe = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_' || c == '.';
      EXPECT_TRUE(safe) << sig;
    }
    EXPECT_TRUE(VerifySig(kSecret, id, sig, kNow));
  }
}

TEST(IvrSignature, RefusesOtherCallsSecretsAndTampering) {
  std::string sig = SigOf(SignUrlParams(kSecret, "call-42", kNow + 10min));
  EXPECT_FALSE(VerifySig(kSecret, "call-43", sig, kNow));
  EXPECT_FALSE(VerifySig("another-secret", "call-42", sig, kNow));
  // Moving the expiry forward invalidates the MAC.
  std::string later =
      std::to_string(std::stoll(sig.substr(0, sig.find('.'))) + 3600) + sig.substr(sig.find('.'));
  EXPECT_FALSE(VerifySig(kSecret, "call-42", later, kNow));
  std::string flipped = sig;
  flipped.back() = flipped.back() == 'A' ? 'B' : 'A';
  EXPECT_FALSE(VerifySig(kSecret, "call-42", flipped, kNow));
  // A call id cannot borrow the expiry line of another id.
  std::string other = SigOf(SignUrlParams(kSecret, "call-4", kNow + 10min));
  EXPECT_FALSE(VerifySig(kSecret, "call-42", other, kNow));
}

TEST(IvrSignature, RefusesMalformedValuesAndAnEmptySecret) {
  std::string sig = SigOf(SignUrlParams(kSecret, "call-42", kNow + 10min));
  for (const std::string& bad :
       {std::string(), std::string("."), sig.substr(sig.find('.')), sig.substr(0, sig.find('.')),
        sig + "A", "-1" + sig.substr(sig.find('.')), "x" + sig, sig.substr(0, sig.size() - 1)}) {
    EXPECT_FALSE(VerifySig(kSecret, "call-42", bad, kNow)) << bad;
  }
  std::string empty_key = SigOf(SignUrlParams("", "call-42", kNow + 10min));
  EXPECT_FALSE(VerifySig("", "call-42", empty_key, kNow));
}

}  // namespace
}  // namespace hotline::ivr
