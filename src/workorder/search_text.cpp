#include "workorder/search_text.hpp"

namespace hotline::workorder {

std::string Bigrams(std::string_view text) {
  std::string out;
  ForEachGram(text, [&out](const Gram& g) {
    if (!out.empty()) out += g.run_start ? '\n' : ' ';
    out += g.text;
  });
  return out;
}

std::string TicketGrams(std::string_view subject, std::string_view description) {
  std::string text;
  text.reserve(subject.size() + 1 + description.size());
  text.append(subject).append("\n").append(description);
  return Bigrams(text);
}

std::optional<TextQuery> ParseTextQuery(std::string_view query) {
  TextQuery q;
  bool lone_symbol = false;
  ForEachGram(query, [&](const Gram& g) {
    if (g.tail) return;  // a query run matches anywhere in a text run, not only at its end
    if (g.run_start) {
      q.phrases.emplace_back();
      q.one_char.push_back(g.one_char);
    }
    q.phrases.back().emplace_back(g.text);
    q.plain = q.plain && g.plain;
    lone_symbol = lone_symbol || (g.one_char && !g.plain);
  });
  if (q.phrases.empty() || lone_symbol) return std::nullopt;
  return q;
}

std::string MatchExpression(const TextQuery& q, const std::vector<std::vector<bool>>* keep) {
  std::string out;
  for (size_t p = 0; p < q.phrases.size(); ++p) {
    bool open = false;  // inside a quoted phrase
    // A one-character phrase is a prefix: the character starts a bigram or ends its run.
    const char* close = q.one_char[p] ? "\" *" : "\"";
    for (size_t g = 0; g < q.phrases[p].size(); ++g) {
      if (keep && !(*keep)[p][g]) {
        if (open) out += close;
        open = false;
        continue;
      }
      if (!open) {
        if (!out.empty()) out += " AND ";
        // Grams hold no quotes (separators), so a quoted phrase needs no escaping.
        out += '"';
        open = true;
      } else {
        out += ' ';
      }
      out += q.phrases[p][g];
    }
    if (open) out += close;
  }
  return out;
}

std::optional<std::string> BigramQuery(std::string_view query) {
  auto q = ParseTextQuery(query);
  if (!q) return std::nullopt;
  return MatchExpression(*q);
}

}  // namespace hotline::workorder
