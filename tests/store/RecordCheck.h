#pragma once

// Byte-exact record retrieval after an import (schema v6 blocks): what the case promises for each
// record (docs/record-conventions.md) is the parser's original text when it has one (a JSON line,
// an event's XML) and otherwise the JSON rendered from its fields (EVTX, Zeek TSV, ...), exactly
// as the importer stored it before blocks existed. Shared by tst_record_import and the corpus test.

#include "StoredRecords.h"
#include "TestSupport.h"
#include "core/FileSource.h"
#include "core/FormatDetector.h"
#include "core/ImportEngine.h"
#include "core/Normalizer.h"
#include "core/ParserRegistry.h"
#include "store/CaseStore.h"

#include <QFile>
#include <QTest>

#include <string>
#include <vector>

namespace tt::test {

// What the case must give back for each record of the file, in record order.
inline std::vector<std::string> expectedPayloads(const std::string &file)
{
    QFile f(QString::fromStdString(file));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QByteArray head = f.read(4096);
    f.close();
    auto parser = makeParser(detectFormat(head.constData(), static_cast<size_t>(head.size())));
    if (!parser)
        return {};
    FileSource src(file);
    CollectingSink sink;
    parser->parse(src, sink);
    std::vector<std::string> out;
    for (const RawEvent &ev : sink.events) {
        std::string p;
        if (!ev.original.empty())
            p = ev.original;
        else
            Normalizer::renderPayload(ev, p);
        out.push_back(std::move(p));
    }
    return out;
}

// Imports the file into a new case and compares every stored record's payload with
// expectedPayloads(); returns the number compared (QTest failures on the way).
inline size_t checkImportedPayloads(const std::string &casePath, const std::string &file)
{
    const std::vector<std::string> expected = expectedPayloads(file);
    auto cs = store::CaseStore::open(casePath, store::CaseStore::Access::Create);
    {
        ImportEngine engine(*cs, {});
        const ImportSummary s = engine.run({file});
        if (s.files.size() != 1 || s.files[0].status != FileReport::Status::Imported) {
            QTest::qFail("import failed", __FILE__, __LINE__);
            return 0;
        }
    }
    size_t n = 0;
    for (const StoredRecord &r : storedRecords(cs->db())) {
        if (n >= expected.size()) {
            QTest::qFail("more records stored than parsed", __FILE__, __LINE__);
            return n;
        }
        if (!r.ok) {
            QTest::qFail(r.payload.c_str(), __FILE__, __LINE__);
            return n;
        }
        if (r.payload != expected[n]) {
            const std::string msg = file + ": record " + std::to_string(r.position) + " differs";
            QTest::qFail(msg.c_str(), __FILE__, __LINE__);
            return n;
        }
        ++n;
    }
    if (n != expected.size())
        QTest::qFail("fewer records stored than parsed", __FILE__, __LINE__);
    return n;
}

} // namespace tt::test
