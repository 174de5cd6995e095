#include "hotline/kb/tokenizer.hpp"

#include <sqlite3.h>

#include <type_traits>

#include "hotline/storage/sqlite.hpp"
#include "ranking.hpp"
#include "text.hpp"

namespace hotline::kb {
namespace {

using internal::CharClass;

// Longer runs of letters and digits are cut here: nobody types them, and FTS5 keeps every
// token in the index.
constexpr size_t kMaxWordBytes = 64;

/// Cuts text into tokens for `emit(text, start, end, colocated)`, which returns non-zero to
/// stop (an SQLite result code). Words: runs of letters and digits. Chinese: see TokenizeMode.
template <class Emit>
class Cutter {
 public:
  Cutter(TokenizeMode mode, Emit& emit) : mode_(mode), emit_(emit) {}

  int Run(std::string_view text) {
    int rc = 0;
    for (size_t pos = 0; pos < text.size() && rc == 0;) {
      internal::Decoded d = internal::DecodeUtf8(text, pos);
      char32_t f = internal::Fold(d.cp);
      size_t end = pos + d.len;
      switch (internal::Classify(f)) {
        case CharClass::kWord:
          rc = OnWordChar(f, pos, end);
          break;
        case CharClass::kCjk:
          rc = OnChineseChar(f, pos, end);
          break;
        case CharClass::kSeparator:
          if ((rc = FlushWord()) == 0) rc = EndRun();
          break;
      }
      pos = end;
    }
    if (rc == 0) rc = FlushWord();
    if (rc == 0) rc = EndRun();
    return rc;
  }

 private:
  int OnWordChar(char32_t f, size_t pos, size_t end) {
    if (int rc = EndRun(); rc != 0) return rc;
    if (word_.empty()) word_start_ = pos;
    if (word_.size() < kMaxWordBytes) internal::AppendUtf8(word_, f);
    word_end_ = end;
    return 0;
  }

  int OnChineseChar(char32_t f, size_t pos, size_t end) {
    if (int rc = FlushWord(); rc != 0) return rc;
    if (run_len_ > 0) {
      // In a document the pair shares the position of its first character, so the pairs of
      // a run sit at consecutive positions, as the pairs of a query phrase do.
      if (int rc = EmitChars(prev_, f, prev_start_, end, mode_ == TokenizeMode::kDocument); rc != 0) return rc;
    }
    if (mode_ == TokenizeMode::kDocument) {
      if (int rc = EmitChars(f, 0, pos, end, false); rc != 0) return rc;
    }
    prev_ = f;
    prev_start_ = pos;
    prev_end_ = end;
    ++run_len_;
    return 0;
  }

  int FlushWord() {
    if (word_.empty()) return 0;
    int rc = emit_(std::string_view(word_), word_start_, word_end_, false);
    word_.clear();
    return rc;
  }

  /// Ends a Chinese run: in a query, a lone character is its own token.
  int EndRun() {
    int rc = 0;
    if (mode_ == TokenizeMode::kQuery && run_len_ == 1) rc = EmitChars(prev_, 0, prev_start_, prev_end_, false);
    run_len_ = 0;
    return rc;
  }

  int EmitChars(char32_t a, char32_t b, size_t start, size_t end, bool colocated) {
    buf_.clear();
    internal::AppendUtf8(buf_, a);
    if (b != 0) internal::AppendUtf8(buf_, b);
    return emit_(std::string_view(buf_), start, end, colocated);
  }

  TokenizeMode mode_;
  Emit& emit_;
  std::string word_, buf_;
  size_t word_start_ = 0, word_end_ = 0;
  char32_t prev_ = 0;  // the last character of the current Chinese run
  size_t prev_start_ = 0, prev_end_ = 0, run_len_ = 0;
};

template <class Emit>
int Cut(std::string_view text, TokenizeMode mode, Emit&& emit) {
  return Cutter<std::remove_reference_t<Emit>>(mode, emit).Run(text);
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
