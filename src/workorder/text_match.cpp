#include "workorder/text_match.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cstring>

#include "hotline/storage/sqlite.hpp"

namespace hotline::workorder {
namespace {

// A token as a number: its bytes and its length. Tokens of more than 7 bytes all become
// kLong, which no query token (at most 6 bytes) equals.
constexpr uint64_t kLong = ~uint64_t{0};

uint64_t Pack(std::string_view token) {
  if (token.size() > 7) return kLong;
  uint64_t v = 0;
  std::memcpy(&v, token.data(), token.size());
  return v | (uint64_t{token.size()} << 56);
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
  for (const auto& phrase : query.phrases) {
    auto& tokens = phrases_.emplace_back();
    for (const auto& gram : phrase) tokens.push_back(Pack(gram));
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
  return std::all_of(phrases_.begin(), phrases_.end(), [this](const std::vector<uint64_t>& p) {
    return std::search(doc_.begin(), doc_.end(), p.begin(), p.end()) != doc_.end();
  });
}

}  // namespace hotline::workorder
