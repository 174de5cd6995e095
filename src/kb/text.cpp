#include "text.hpp"

#include <array>
#include <memory>

#include "t2s_table.hpp"

namespace hotline::kb::internal {
namespace {

constexpr char32_t kReplacement = 0xFFFD;
// The traditional -> simplified table covers CJK Extension A and the Unified Ideographs.
constexpr char32_t kT2sFirst = 0x3400;
constexpr char32_t kT2sLast = 0x9FFF;

// A direct-index table (55 KB) built once: folding runs on every character indexed.
const std::array<uint16_t, kT2sLast - kT2sFirst + 1>& T2sTable() {
  static const auto table = [] {
    auto t = std::make_unique<std::array<uint16_t, kT2sLast - kT2sFirst + 1>>();
    t->fill(0);
    for (size_t i = 0; i < kT2sPairCount; ++i) t->at(kT2sPairs[i][0] - kT2sFirst) = kT2sPairs[i][1];
    return t;
  }();
  return *table;
}

bool InRange(char32_t cp, char32_t lo, char32_t hi) { return cp >= lo && cp <= hi; }

}  // namespace

Decoded DecodeUtf8(std::string_view s, size_t pos) {
  auto byte = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  unsigned char b0 = byte(pos);
  if (b0 < 0x80) return {b0, 1};
  size_t len = b0 >= 0xF0 ? 4 : b0 >= 0xE0 ? 3 : b0 >= 0xC0 ? 2 : 0;
  if (len == 0 || b0 > 0xF4 || pos + len > s.size()) return {kReplacement, 1};
  char32_t cp = b0 & (0x7F >> len);
  for (size_t i = 1; i < len; ++i) {
    unsigned char b = byte(pos + i);
    if ((b & 0xC0) != 0x80) return {kReplacement, 1};
    cp = (cp << 6) | (b & 0x3F);
  }
  // Overlong forms and surrogates are not characters.
  static constexpr char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || InRange(cp, 0xD800, 0xDFFF) || cp > 0x10FFFF) return {kReplacement, 1};
  return {cp, len};
}

void AppendUtf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

char32_t Fold(char32_t cp) {
  if (cp < 0x80) return (cp >= 'A' && cp <= 'Z') ? cp + 0x20 : cp;
  // Full-width ASCII (Ｈ１Ｎ１, ＨＰＶ, １２３２０) and the ideographic space.
  if (InRange(cp, 0xFF01, 0xFF5E)) return Fold(cp - 0xFEE0);
  if (cp == 0x3000) return ' ';
  // Latin-1, Greek and Cyrillic capitals.
  if (InRange(cp, 0xC0, 0xDE) && cp != 0xD7) return cp + 0x20;
  if (InRange(cp, 0x391, 0x3A9)) return cp + 0x20;
  if (InRange(cp, 0x410, 0x42F)) return cp + 0x20;
  if (InRange(cp, kT2sFirst, kT2sLast)) {
    uint16_t simplified = T2sTable()[cp - kT2sFirst];
    if (simplified != 0) return simplified;
  }
  return cp;
}

CharClass Classify(char32_t cp) {
  if (cp < 0x80) {
    bool alnum = (cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z');
    return alnum ? CharClass::kWord : CharClass::kSeparator;
  }
  if (InRange(cp, 0x4E00, 0x9FFF) || InRange(cp, 0x3400, 0x4DBF) || InRange(cp, 0xF900, 0xFAFF) ||
      InRange(cp, 0x20000, 0x2FA1F) || cp == 0x3007 /* 〇 */ || InRange(cp, 0x3041, 0x30FA) ||
      InRange(cp, 0xAC00, 0xD7AF)) {
    return CharClass::kCjk;  // ideographs, kana and hangul: indexed as characters and pairs
  }
  if ((InRange(cp, 0xC0, 0x24F) && cp != 0xD7 && cp != 0xF7) || InRange(cp, 0x370, 0x3FF) ||
      InRange(cp, 0x400, 0x4FF)) {
    return CharClass::kWord;  // letters of alphabets: α-干扰素, Café
  }
  return CharClass::kSeparator;  // punctuation of every width, symbols, emoji, controls
}

std::vector<FoldedChar> FoldText(std::string_view text) {
  std::vector<FoldedChar> out;
  out.reserve(text.size() / 2);
  for (size_t pos = 0; pos < text.size();) {
    Decoded d = DecodeUtf8(text, pos);
    char32_t f = Fold(d.cp);
    out.push_back({f, Classify(f), pos, pos + d.len});
    pos += d.len;
  }
  return out;
}

}  // namespace hotline::kb::internal
