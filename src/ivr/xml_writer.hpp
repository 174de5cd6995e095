#pragma once
// Private to the ivr module: a small, always-escaping XML writer, so no caller text (prompts,
// knowledge-base entries, URLs) can break a VoiceXML document.
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hotline::ivr::internal {

using Attrs = std::initializer_list<std::pair<std::string_view, std::string_view>>;

/// Escapes text for XML character data and attribute values; drops characters XML 1.0 forbids.
std::string XmlEscape(std::string_view text);

class XmlWriter {
 public:
  /// Starts the document with the XML declaration.
  XmlWriter();

  /// <tag attrs>; children follow until Close().
  XmlWriter& Open(std::string_view tag, Attrs attrs = {});
  /// <tag attrs/>.
  XmlWriter& Leaf(std::string_view tag, Attrs attrs = {});
  /// <tag attrs>text</tag>.
  XmlWriter& Element(std::string_view tag, std::string_view text, Attrs attrs = {});
  /// Character data inside the open element; later children of it stay on the same line.
  XmlWriter& Text(std::string_view text);
  /// Closes the innermost open element.
  XmlWriter& Close();
  /// Closes whatever is open and returns the document.
  std::string Finish();

 private:
  struct OpenElement {
    std::string tag;
    bool inline_content = false;  // text was written: no indentation inside
    bool has_children = false;
  };
  void StartTag(std::string_view tag, Attrs attrs);
  void Indent();

  std::string out_;
  std::vector<OpenElement> open_;
};

}  // namespace hotline::ivr::internal
