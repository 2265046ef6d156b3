#pragma once

#include "core/FormatParser.h"

#include <cstddef>
#include <memory>

namespace tt {

// Windows event XML: `wevtutil qe /f:xml` output (a sequence of <Event> elements without a
// root), Event Viewer "Save as XML" (<Events> wrapper, <?xml?> declaration), exports with or
// without <RenderingInfo>; UTF-8 or UTF-16 (BOM, or BOM-less detected from "<\0").
//
// The stream is scanned for top-level <Event ...> ... </Event> spans (comments, CDATA and
// processing instructions skipped); each span is parsed on its own with a reset expat parser,
// so a damaged record is rejected (position = its 1-based ordinal) without losing the ones after
// it. Memory stays bounded by the largest record (at most maxRecordBytes). Entities: only the
// five predefined ones and character references; a DTD (billion laughs) is never read, since it
// lies outside every span, and an <!ENTITY> or DOCTYPE inside a span is an error.
class WinXmlParser final : public FormatParser {
public:
    static constexpr size_t kDefaultMaxRecordBytes = size_t(64) << 20; // 64 MiB
    static constexpr int kMaxDepth = 64; // element nesting in a record

    WinXmlParser();
    ~WinXmlParser() override;
    WinXmlParser(const WinXmlParser &) = delete;
    WinXmlParser &operator=(const WinXmlParser &) = delete;

    std::string_view name() const override { return "winxml"; }
    std::string_view version() const override { return "1.0"; }
    bool parse(ByteSource &in, RecordSink &sink) override;

    void setMaxRecordBytes(size_t n) { m_maxRecord = n; }
    void setBlockSize(size_t n) { m_block = n < 16 ? 16 : n; }

private:
    struct Impl;
    std::unique_ptr<Impl> d;
    size_t m_maxRecord = kDefaultMaxRecordBytes;
    size_t m_block = size_t(1) << 20;
};

} // namespace tt
