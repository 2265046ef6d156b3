#include "core/ParserRegistry.h"

// TEMPORARY while the parsers land: __has_include keeps the build green. Removed once all exist.
#if __has_include("evtx/EvtxParser.h")
#include "evtx/EvtxParser.h"
#define TT_HAVE_EVTX 1
#endif
#include "json/JsonLinesParser.h"
#if __has_include("xml/WinXmlParser.h")
#include "xml/WinXmlParser.h"
#define TT_HAVE_XML 1
#endif

namespace tt {

std::unique_ptr<FormatParser> makeParser(Format format)
{
    switch (format) {
#ifdef TT_HAVE_EVTX
    case Format::Evtx: return std::make_unique<EvtxParser>();
#endif
    case Format::JsonLines: return std::make_unique<JsonLinesParser>();
#ifdef TT_HAVE_XML
    case Format::WinXml: return std::make_unique<WinXmlParser>();
#endif
    default: return nullptr;
    }
}

} // namespace tt
