#include "workorder/text_match.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cstring>

#include "hotline/storage/sqlite.hpp"

namespace hotline::workorder {
namespace {

// A token as a number: its first 7 bytes and its length (up to 255). Query tokens have at
// most 6 bytes, so a longer token equals none of them and only its first bytes matter.
uint64_t Pack(std::string_view token) {
  uint64_t v = 0;
  std::memcpy(&v, token.data(), std::min<size_t>(token.size(), 7));
  return v | (std::min<uint64_t>(token.size(), 0xFF) << 56);
}

/// True when the packed `token` begins with the packed `prefix` (a prefix query "X" *).
bool StartsWith(uint64_t token, uint64_t prefix) {
  size_t n = prefix >> 56;
  if ((token >> 56) < n) return false;
  char a[8], b[8];
  std::memcpy(a, &token, 8);
  std::memcpy(b, &prefix, 8);
  return std::memcmp(a, b, n) == 0;
}

}  // namespace

/// SQLite's own unicode61 tokenizer, as the index's table declares it.
class TextMatcher::Unicode61 {
 public:
  explicit Unicode61(sqlite3* db) {
    fts5_api* api = nullptr;
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, nullptr) == SQLITE_OK) {
      sqlite3_bind_pointer(stmt, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
      sqlite3_step(stmt);
    }
    sqlite3_finalize(stmt);
    void* user = nullptr;
    const char* args[] = {"remove_diacritics", "0"};
    if (api == nullptr || api->xFindTokenizer(api, "unicode61", &user, &api_) != SQLITE_OK ||
        api_.xCreate(user, args, 2, &tokenizer_) != SQLITE_OK) {
      throw storage::StorageError(SQLITE_ERROR, "FTS5 unicode61 tokenizer unavailable");
    }
  }
  ~Unicode61() { api_.xDelete(tokenizer_); }
  Unicode61(const Unicode61&) = delete;
  Unicode61& operator=(const Unicode61&) = delete;

  void Tokens(std::string_view text, std::vector<uint64_t>& out) {
    int rc = api_.xTokenize(tokenizer_, &out, FTS5_TOKENIZE_DOCUMENT, text.data(),
                            static_cast<int>(text.size()),
                            [](void* ctx, int, const char* token, int n, int, int) {
                              static_cast<std::vector<uint64_t>*>(ctx)->push_back(
                                  Pack(std::string_view(token, static_cast<size_t>(n))));
                              return SQLITE_OK;
                            });
    if (rc != SQLITE_OK) throw storage::StorageError(rc, "unicode61 failed");
  }

 private:
  fts5_tokenizer api_{};
  Fts5Tokenizer* tokenizer_ = nullptr;
};

TextMatcher::TextMatcher(const TextQuery& query, sqlite3* db) : db_(db) {
  for (size_t p = 0; p < query.phrases.size(); ++p) {
    if (query.one_char[p]) {
      prefixes_.push_back(Pack(query.phrases[p].front()));
      continue;
    }
    auto& tokens = phrases_.emplace_back();
    for (const auto& gram : query.phrases[p]) tokens.push_back(Pack(gram));
  }
}

TextMatcher::~TextMatcher() = default;

void TextMatcher::AddTokens(const Gram& g) {
  if (g.plain) {
    doc_.push_back(Pack(g.text));
    return;
  }
  if (!unicode61_) unicode61_ = std::make_unique<Unicode61>(db_);
  unicode61_->Tokens(g.text, doc_);
}

bool TextMatcher::Matches(std::string_view subject, std::string_view description) {
  // The index holds subject + "\n" + description; the newline ends a run like any separator.
  doc_.clear();
  auto add = [this](const Gram& g) { AddTokens(g); };
  ForEachGram(subject, add);
  ForEachGram(description, add);
  auto has_phrase = [this](const std::vector<uint64_t>& p) {
    return std::search(doc_.begin(), doc_.end(), p.begin(), p.end()) != doc_.end();
  };
  auto has_prefix = [this](uint64_t x) {
    return std::any_of(doc_.begin(), doc_.end(), [x](uint64_t t) { return StartsWith(t, x); });
  };
  return std::all_of(phrases_.begin(), phrases_.end(), has_phrase) &&
         std::all_of(prefixes_.begin(), prefixes_.end(), has_prefix);
}

}  // namespace hotline::workorder
