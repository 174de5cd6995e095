#pragma once
// The knowledge base's FTS5 tokenizer, "hotline_cjk": Chinese as characters and character
// pairs, other scripts as words, after folding full-width forms, case and traditional
// characters. Registered on every SQLite connection (DatabaseOptions::on_open) before the
// migrations that create the index run.
#include <functional>
#include <string>
#include <string_view>

struct sqlite3;

namespace hotline::storage {
class Connection;
}

namespace hotline::kb {

/// The name schema/0004_kb.sql gives the index's tokenizer.
inline constexpr const char* kTokenizerName = "hotline_cjk";

/// Registers the tokenizer (and kb_rank, the search's ranking function) with SQLite's
/// fts5_api on this connection. Throws StorageError.
void RegisterTokenizer(storage::Connection& c);
/// The same on a raw handle; returns an SQLite result code.
int RegisterTokenizer(sqlite3* db);

/// How text is cut (FTS5 asks for documents and queries separately).
enum class TokenizeMode {
  kDocument,  // each Chinese character, and the pair it starts at the same position
  kQuery,     // the pairs of a Chinese run (a lone character stands alone)
};

struct Token {
  std::string text;     // folded: lower case, half-width, simplified
  size_t start = 0;     // byte offsets in the original text
  size_t end = 0;
  bool colocated = false;  // same position as the token before (FTS5_TOKEN_COLOCATED)
};

/// Cuts `text` as the FTS5 tokenizer does; `emit` returns false to stop.
void Tokenize(std::string_view text, TokenizeMode mode,
              const std::function<bool(const Token&)>& emit);

/// The folded form of a whole text (full-width -> half-width, lower case, simplified), the
/// form in which synonyms and unanswered queries are compared.
std::string FoldText(std::string_view text);

}  // namespace hotline::kb
