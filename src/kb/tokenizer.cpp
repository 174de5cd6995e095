#include "hotline/kb/tokenizer.hpp"

#include <sqlite3.h>

#include <cstring>

#include "hotline/storage/sqlite.hpp"
#include "ranking.hpp"
#include "text.hpp"

namespace hotline::kb {
namespace {

using internal::CharClass;

// Longer runs of letters and digits are cut here: nobody types them, and FTS5 keeps every
// token in the index.
constexpr size_t kMaxWordBytes = 64;

/// Calls emit(text, start, end, colocated) for each token; stops at the first non-zero
/// result and returns it. Words: runs of letters and digits. Chinese: see TokenizeMode.
template <class Emit>
int Cut(std::string_view text, TokenizeMode mode, Emit&& emit) {
  std::string word, pair;
  size_t word_start = 0, word_end = 0;
  char32_t prev = 0;  // the last character of the current Chinese run
  size_t prev_start = 0, prev_end = 0, run_len = 0;
  int rc = 0;
  auto flush_word = [&] {
    if (word.empty()) return 0;
    int r = emit(std::string_view(word), word_start, word_end, false);
    word.clear();
    return r;
  };
  auto end_run = [&] {
    int r = 0;
    if (mode == TokenizeMode::kQuery && run_len == 1) {  // a lone character is its own token
      pair.clear();
      internal::AppendUtf8(pair, prev);
      r = emit(std::string_view(pair), prev_start, prev_end, false);
    }
    run_len = 0;
    return r;
  };
  for (size_t pos = 0; pos < text.size() && rc == 0;) {
    internal::Decoded d = internal::DecodeUtf8(text, pos);
    char32_t f = internal::Fold(d.cp);
    size_t end = pos + d.len;
    switch (internal::Classify(f)) {
      case CharClass::kWord:
        if ((rc = end_run()) != 0) break;
        if (word.empty()) word_start = pos;
        if (word.size() < kMaxWordBytes) internal::AppendUtf8(word, f);
        word_end = end;
        break;
      case CharClass::kCjk:
        if ((rc = flush_word()) != 0) break;
        if (run_len > 0) {
          pair.clear();
          internal::AppendUtf8(pair, prev);
          internal::AppendUtf8(pair, f);
          // In a document the pair shares the position of its first character, so the pairs
          // of a run sit at consecutive positions, as the pairs of a query phrase do.
          rc = emit(std::string_view(pair), prev_start, end, mode == TokenizeMode::kDocument);
          if (rc != 0) break;
        }
        if (mode == TokenizeMode::kDocument) {
          pair.clear();
          internal::AppendUtf8(pair, f);
          rc = emit(std::string_view(pair), pos, end, false);
        }
        prev = f;
        prev_start = pos;
        prev_end = end;
        ++run_len;
        break;
      case CharClass::kSeparator:
        if ((rc = flush_word()) == 0) rc = end_run();
        break;
    }
    pos = end;
  }
  if (rc == 0) rc = flush_word();
  if (rc == 0) rc = end_run();
  return rc;
}

// --- the fts5_tokenizer callbacks ---------------------------------------------------------

// The tokenizer has no state; xCreate hands back a non-null dummy.
int g_instance_tag = 0;

int XCreate(void*, const char** args, int n_args, Fts5Tokenizer** out) {
  if (n_args > 0 && args[0] != nullptr) return SQLITE_ERROR;  // no options are understood
  *out = reinterpret_cast<Fts5Tokenizer*>(&g_instance_tag);
  return SQLITE_OK;
}

void XDelete(Fts5Tokenizer*) {}

int XTokenize(Fts5Tokenizer*, void* ctx, int flags, const char* text, int n_text,
              int (*x_token)(void*, int, const char*, int, int, int)) {
  TokenizeMode mode = (flags & FTS5_TOKENIZE_QUERY) ? TokenizeMode::kQuery : TokenizeMode::kDocument;
  std::string_view input(text ? text : "", text ? static_cast<size_t>(n_text) : 0);
  return Cut(input, mode, [&](std::string_view tok, size_t start, size_t end, bool colocated) {
    return x_token(ctx, colocated ? FTS5_TOKEN_COLOCATED : 0, tok.data(), static_cast<int>(tok.size()),
                   static_cast<int>(start), static_cast<int>(end));
  });
}

fts5_api* Fts5Api(sqlite3* db) {
  fts5_api* api = nullptr;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, nullptr) == SQLITE_OK) {
    sqlite3_bind_pointer(stmt, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
    sqlite3_step(stmt);
  }
  sqlite3_finalize(stmt);
  return api;
}

}  // namespace

int RegisterTokenizer(sqlite3* db) {
  fts5_api* api = Fts5Api(db);
  if (api == nullptr) return SQLITE_ERROR;  // SQLite built without FTS5
  static fts5_tokenizer tokenizer = {XCreate, XDelete, XTokenize};
  int rc = api->xCreateTokenizer(api, kTokenizerName, nullptr, &tokenizer, nullptr);
  return rc == SQLITE_OK ? internal::RegisterRankFunction(api) : rc;
}

void RegisterTokenizer(storage::Connection& c) {
  int rc = RegisterTokenizer(c.handle());
  if (rc != SQLITE_OK) {
    throw storage::StorageError(rc, std::string("cannot register FTS5 tokenizer ") + kTokenizerName);
  }
}

void Tokenize(std::string_view text, TokenizeMode mode,
              const std::function<bool(const Token&)>& emit) {
  Cut(text, mode, [&](std::string_view tok, size_t start, size_t end, bool colocated) {
    return emit(Token{std::string(tok), start, end, colocated}) ? 0 : 1;
  });
}

std::string FoldText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t pos = 0; pos < text.size();) {
    internal::Decoded d = internal::DecodeUtf8(text, pos);
    internal::AppendUtf8(out, internal::Fold(d.cp));
    pos += d.len;
  }
  return out;
}

}  // namespace hotline::kb
