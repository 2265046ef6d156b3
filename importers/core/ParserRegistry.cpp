#include "core/ParserRegistry.h"

#include "esxi/EsxiLogParser.h"
#include "evtx/EvtxParser.h"
#include "linux/AuditParser.h"
#include "linux/SyslogAuthParser.h"
#include "macos/MacLogParsers.h"
#include "timeline/TimelineParser.h"
#include "xml/WinXmlParser.h"
#include "zeek/ZeekParser.h"
#include "json/JsonLinesParser.h"

namespace tt {

std::unique_ptr<FormatParser> makeParser(Format format)
{
    switch (format) {
    case Format::Evtx:
        return std::make_unique<EvtxParser>();
    case Format::JsonLines:
        return std::make_unique<JsonLinesParser>();
    case Format::WinXml:
        return std::make_unique<WinXmlParser>();
    case Format::EvtxECmdCsv:
        return std::make_unique<TimelineParser>(TimelineParser::Kind::EvtxECmdCsv);
    case Format::EvtxECmdJson:
        return std::make_unique<TimelineParser>(TimelineParser::Kind::EvtxECmdJson);
    case Format::HayabusaCsv:
        return std::make_unique<TimelineParser>(TimelineParser::Kind::HayabusaCsv);
    case Format::HayabusaJsonl:
        return std::make_unique<TimelineParser>(TimelineParser::Kind::HayabusaJsonl);
    case Format::Zeek:
        return std::make_unique<ZeekParser>();
    case Format::LinuxAudit:
        return std::make_unique<AuditParser>();
    case Format::Syslog:
        return std::make_unique<SyslogAuthParser>();
    case Format::Journald:
        return std::make_unique<JournaldJsonParser>();
    case Format::Esxi:
        return std::make_unique<EsxiLogParser>();
    case Format::Eslogger:
        return std::make_unique<EsloggerParser>();
    case Format::UnifiedLog:
        return std::make_unique<UnifiedLogParser>();
    default:
        return nullptr;
    }
}

} // namespace tt
