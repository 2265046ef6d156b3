// The import engine end to end on small JSON-lines inputs written by the test: transactions,
// de-duplication, archives, cancel, bad input, normalised tables, schema versions.

#include "core/ImportEngine.h"
#include "core/JsonText.h"
#include "store/CaseStore.h"
#include "store/RecordReader.h"
#include "store/Schema.h"

#include "EngineFixtures.h"
#include "TestSupport.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <archive.h>
#include <archive_entry.h>

#include <csignal>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace tt;

using namespace fixtures;

namespace {
QByteArray lines(std::initializer_list<const char *> ls)
{
    QByteArray out;
    for (const char *l : ls) {
        out += l;
        out += '\n';
    }
    return out;
}

void writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    QVERIFY2(f.open(QIODevice::WriteOnly), qPrintable(path));
    f.write(data);
}

// Writes an archive with libarchive (format: "zip" or "ustar", filter "gzip" or "").
void writeArchive(
    const QString &path, const char *format, const char *filter, const QList<QPair<QString, QByteArray>> &members)
{
    struct archive *a = archive_write_new();
    QCOMPARE(archive_write_set_format_by_name(a, format), ARCHIVE_OK);
    if (filter && *filter)
        QCOMPARE(archive_write_add_filter_by_name(a, filter), ARCHIVE_OK);
    QCOMPARE(archive_write_open_filename(a, path.toLocal8Bit().constData()), ARCHIVE_OK);
    for (const auto &m : members) {
        struct archive_entry *e = archive_entry_new();
        archive_entry_set_pathname(e, m.first.toUtf8().constData());
        archive_entry_set_size(e, m.second.size());
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_perm(e, 0644);
        archive_entry_set_mtime(e, 1600000000, 0);
        archive_write_header(a, e);
        archive_write_data(a, m.second.constData(), static_cast<size_t>(m.second.size()));
        archive_entry_free(e);
    }
    archive_write_close(a);
    archive_write_free(a);
}

int64_t count(store::CaseStore &cs, const char *sql)
{
    return cs.db().queryInt(sql);
}

QString integrity(store::CaseStore &cs)
{
    auto st = cs.db().prepare("PRAGMA integrity_check");
    return st.step() ? QString::fromStdString(st.text(0)) : QStringLiteral("(no result)");
}

// n Sysmon 3 lines with distinct record numbers starting at first (distinct files, distinct SHA-256).
QByteArray sysmonLines(int first, int n)
{
    QByteArray out;
    for (int i = 0; i < n; ++i) {
        QByteArray l(kSysmon3);
        l.replace(
            QByteArray("\"RecordNumber\":300"), QByteArray("\"RecordNumber\":").append(QByteArray::number(first + i)));
        out += l + '\n';
    }
    return out;
}

int64_t fileSize(const std::string &p)
{
    struct stat st { };
    return ::stat(p.c_str(), &st) == 0 ? static_cast<int64_t>(st.st_size) : 0;
}
} // namespace

class TstImportEngine : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString path(const QString &name) const { return m_dir.filePath(name); }

private slots:
    void goodAndBadLines()
    {
        const QString input = path("mixed.json");
        QByteArray data = lines({kLogon4624});
        data += "{\"EventID\": 4624, \"Channel\": broken\n"; // line 2: malformed
        data += lines({kShare5145, kSysmon1, kSysmon3});
        writeFile(input, data);
        auto cs = store::CaseStore::open(path("a.ttcase").toStdString(), store::CaseStore::Access::Create);
        ImportEngine engine(*cs, {});
        ImportSummary sum = engine.run({input.toStdString()});
        QCOMPARE(sum.files.size(), size_t(1));
        const FileReport &f = sum.files[0];
        QCOMPARE(int(f.status), int(FileReport::Status::Imported));
        QCOMPARE(f.format, std::string("jsonl"));
        QCOMPARE(f.stored, int64_t(4));
        QCOMPARE(f.rejected, int64_t(1));
        QVERIFY(!f.issues.empty());
        QCOMPARE(f.issues[0].position, int64_t(2));
        QCOMPARE(sum.exitCode(), 2);

        QCOMPARE(count(*cs, "SELECT count(*) FROM events"), int64_t(4));
        QCOMPARE(count(*cs, "SELECT count(*) FROM import_issues WHERE severity='reject' AND position=2"), int64_t(1));
        QCOMPARE(count(*cs, "SELECT records_rejected FROM sources"), int64_t(1));
        // Two hosts (WS5 from its own Sysmon record, WS6), WS5 also named by the 4624.
        QCOMPARE(count(*cs, "SELECT count(*) FROM hosts"), int64_t(2));
        QCOMPARE(count(*cs, "SELECT count(*) FROM host_names WHERE name='ws6.corp.local'"), int64_t(1));
        // Normalised rows.
        QCOMPARE(count(*cs,
                     "SELECT count(*) FROM logon_sessions WHERE logon_type=3 AND logon_id='0x23e34ce' "
                     "AND source_ip='10.1.1.5'"),
            int64_t(1));
        QCOMPARE(count(*cs,
                     "SELECT count(*) FROM share_accesses WHERE code=5145 AND access_mask=2 AND logon_id='0x23e34ce'"),
            int64_t(1));
        QCOMPARE(count(*cs,
                     "SELECT count(*) FROM processes WHERE origin='sysmon1' AND pid=4242 AND "
                     "guid='{B34BC01C-7FAE-5F63-1000-000000000400}' AND parent_image LIKE '%cmd.exe'"),
            int64_t(1));
        QCOMPARE(count(*cs, "SELECT count(*) FROM net_connections WHERE dst_port=445 AND initiated=1"), int64_t(1));
        // IP evidence: WS5 from its own outbound Sysmon 3 and from the 4624 WorkstationName on WS6.
        QCOMPARE(count(*cs,
                     "SELECT count(*) FROM host_addresses a JOIN hosts h ON h.id=a.host_id "
                     "WHERE h.name='WS5' AND a.address='10.1.1.5'"),
            int64_t(2));
        // The hostile file name is stored intact (bound, never interpolated) and events survived.
        auto st = cs->db().prepare("SELECT relative_target FROM share_accesses");
        QVERIFY(st.step());
        QCOMPARE(QString::fromStdString(st.text(0)), QStringLiteral("Windows\\Temp\\x'); DROP TABLE events;--.exe"));
        // Accounts: one CORP\pgustavo whatever event named it.
        QCOMPARE(count(*cs, "SELECT count(*) FROM accounts WHERE domain='CORP' AND name_key='PGUSTAVO'"), int64_t(1));
        // Local EventTime corrected to UTC with the offset learned from Sysmon (4 h).
        QCOMPARE(count(*cs,
                     "SELECT ts FROM events e JOIN channels c ON c.id=e.channel_id WHERE c.name='Security' "
                     "AND event_id=4624"),
            int64_t(1602282631) * 1000000);
    }

    // A file parsed and hashed on the importing thread and one parsed through the parse pipeline
    // with a hashing thread (both ways forced, whatever the size and the cores) store the same
    // records and the file's true SHA-256; a small and a large file on the automatic choice too.
    void parseOnEitherThread()
    {
        const QByteArray small = sysmonLines(1, 40);
        QByteArray large;
        for (int first = 1; large.size() <= ImportEngine::kInlineParseBytes; first += 1000)
            large += sysmonLines(first, 1000);
        const int64_t largeLines = large.count('\n');
        writeFile(path("small.json"), small);
        writeFile(path("large.json"), large);
        const QByteArray inputs[] = {small, large};
        using PT = ImportEngine::Options::ParseThread;
        int n = 0;
        for (PT how : {PT::Auto, PT::Own, PT::Importing}) {
            auto cs = store::CaseStore::open(
                path(QStringLiteral("paths%1.ttcase").arg(++n)).toStdString(), store::CaseStore::Access::Create);
            ImportEngine::Options o;
            o.parseThread = how;
            ImportEngine engine(*cs, o);
            const ImportSummary sum = engine.run({path("small.json").toStdString(), path("large.json").toStdString()});
            QCOMPARE(sum.files.size(), size_t(2));
            for (size_t i = 0; i < 2; ++i) {
                QCOMPARE(int(sum.files[i].status), int(FileReport::Status::Imported));
                QCOMPARE(sum.files[i].rejected, int64_t(0));
                QCOMPARE(QByteArray::fromStdString(sum.files[i].sha256),
                    QCryptographicHash::hash(inputs[i], QCryptographicHash::Sha256).toHex());
                QCOMPARE(sum.files[i].bytes, uint64_t(inputs[i].size()));
            }
            QCOMPARE(sum.files[0].stored, int64_t(40));
            QCOMPARE(sum.files[1].stored, largeLines);
            QCOMPARE(count(*cs, "SELECT count(*) FROM events"), 40 + largeLines);
            QCOMPARE(count(*cs, "SELECT count(*) FROM net_connections"), 40 + largeLines);
            QCOMPARE(count(*cs, "SELECT count(DISTINCT position) FROM events"), largeLines);
        }
    }

    // A folder of small files read ahead on the helper thread stores exactly what the importing
    // thread alone stores: every report, provenance row, event, payload byte and issue, with
    // damaged files, a duplicate, an archive, an empty file, a file that is not telemetry and a
    // JSON file too large to be read ahead among them.
    void readAheadSameAsImportingThread()
    {
        const QString dir = path(QStringLiteral("ra"));
        QVERIFY(QDir().mkpath(dir));
        QByteArray a = sysmonLines(1, 30);
        a += "{\"EventID\": 3, \"Channel\": broken\n";
        a += lines({kLogon4624, kShare5145, kSysmon1});
        writeFile(dir + "/a.json", a);
        writeFile(dir + "/b.json", sysmonLines(100, 10));
        writeFile(dir + "/b-copy.json", sysmonLines(100, 10)); // same SHA-256: a duplicate
        QFile evtx(test::fixturesDir() + "/fuzz/evtx/synthetic.evtx");
        QVERIFY(evtx.open(QIODevice::ReadOnly));
        const QByteArray evtxBytes = evtx.readAll();
        writeFile(dir + "/c.evtx", evtxBytes);
        writeFile(dir + "/c-cut.evtx", evtxBytes.left(evtxBytes.size() - 3000)); // damaged chunk
        QFile xml(test::fixturesDir() + "/xml/wevtutil_security.xml");
        QVERIFY(xml.open(QIODevice::ReadOnly));
        writeFile(dir + "/d.xml", xml.readAll());
        writeFile(dir + "/e-empty.json", {});
        writeFile(dir + "/notes.txt", "not telemetry\n");
        writeArchive(dir + "/f.zip", "zip", "", {{"inner.json", sysmonLines(500, 5)}});
        QByteArray big;
        for (int first = 1000; big.size() <= ReadAhead::kMaxDenseBytes; first += 1000)
            big += sysmonLines(first, 1000);
        writeFile(dir + "/g-big.json", big);

        using PT = ImportEngine::Options::ParseThread;
        std::unique_ptr<store::CaseStore> cases[2];
        ImportSummary sums[2];
        int n = 0;
        for (PT how : {PT::Auto, PT::Importing}) {
            cases[n] = store::CaseStore::open(
                path(QStringLiteral("ra%1.ttcase").arg(n)).toStdString(), store::CaseStore::Access::Create);
            ImportEngine::Options o;
            o.parseThread = how;
            ImportEngine engine(*cases[n], o);
            sums[n] = engine.run({dir.toStdString()});
            ++n;
        }
        // a, b, b-copy, c, c-cut and d went through the read-ahead; the rest did not qualify.
        QCOMPARE(sums[0].readAhead, int64_t(6));
        QCOMPARE(sums[1].readAhead, int64_t(0));
        QCOMPARE(sums[0].files.size(), sums[1].files.size());
        QCOMPARE(sums[0].count(FileReport::Status::Duplicate), size_t(1));
        QVERIFY(sums[0].count(FileReport::Status::Imported) >= 7);
        for (size_t i = 0; i < sums[0].files.size(); ++i) {
            const FileReport &x = sums[0].files[i], &y = sums[1].files[i];
            QCOMPARE(x.path, y.path);
            QCOMPARE(int(x.status), int(y.status));
            QCOMPARE(x.format, y.format);
            QCOMPARE(x.read, y.read);
            QCOMPARE(x.stored, y.stored);
            QCOMPARE(x.rejected, y.rejected);
            QCOMPARE(x.warnings, y.warnings);
            QCOMPARE(x.bytes, y.bytes);
            QCOMPARE(x.sha256, y.sha256);
            QCOMPARE(x.message, y.message);
            QCOMPARE(x.issues.size(), y.issues.size());
            for (size_t k = 0; k < x.issues.size(); ++k) {
                QCOMPARE(x.issues[k].position, y.issues[k].position);
                QCOMPARE(x.issues[k].message, y.issues[k].message);
            }
        }
        QVERIFY(sums[0].files[1].rejected > 0 || sums[0].files[0].rejected > 0); // a.json's bad line
        // The same rows in both cases, payload bytes included.
        auto rows = [](store::CaseStore &cs, const char *sql) {
            std::vector<std::string> out;
            auto st = cs.db().prepare(sql);
            while (st.step()) {
                std::string r;
                for (int c = 0; c < st.columnCount(); ++c)
                    r += (st.isNull(c) ? std::string("NULL") : st.text(c)) + "|";
                out.push_back(std::move(r));
            }
            return out;
        };
        const char *const kSourcesSql = "SELECT path, size, sha256, format, parser, records_read, records_stored, "
                                        "records_rejected, warnings, first_ts, last_ts, first_event, last_event "
                                        "FROM sources ORDER BY id";
        for (const char *sql :
            {kSourcesSql, "SELECT id, source_id, ts, host_id, event_id, record_id, position FROM events ORDER BY id",
                "SELECT source_id, position, severity, message FROM import_issues ORDER BY id",
                "SELECT name, event_count, first_ts, last_ts FROM hosts ORDER BY id",
                "SELECT event, host_id, kind, path FROM file_events ORDER BY id",
                "SELECT event, host_id, src_ip, dst_ip, dst_port FROM net_connections ORDER BY id",
                "SELECT minute, n FROM event_minutes ORDER BY minute"}) {
            const auto x = rows(*cases[0], sql), y = rows(*cases[1], sql);
            QVERIFY2(!x.empty() || QByteArray(sql).contains("file_events"), sql);
            QCOMPARE(x, y);
        }
        std::vector<std::string> payloads[2];
        for (int c = 0; c < 2; ++c) {
            store::RecordReader reader(cases[c]->db());
            auto st = cases[c]->db().prepare("SELECT block_id, block_index FROM events ORDER BY id");
            std::string_view out;
            std::string error;
            while (st.step()) {
                QVERIFY2(reader.read(st, 0, out, error), error.c_str());
                payloads[c].emplace_back(out);
            }
        }
        QCOMPARE(payloads[0].size(), size_t(count(*cases[0], "SELECT count(*) FROM events")));
        QVERIFY(payloads[0] == payloads[1]);
        QCOMPARE(integrity(*cases[0]), QStringLiteral("ok"));

        // Run again: every file is already in the case (the read-ahead's queued parses of the
        // files found by path, size and modification time are dropped unread); nothing changes.
        ImportEngine again(*cases[0], {});
        const ImportSummary rerun = again.run({dir.toStdString()});
        QCOMPARE(rerun.count(FileReport::Status::Imported), size_t(0));
        QCOMPARE(rows(*cases[0], "SELECT count(*) FROM events"), rows(*cases[1], "SELECT count(*) FROM events"));
        QCOMPARE(count(*cases[0], "SELECT count(*) FROM sources"), count(*cases[1], "SELECT count(*) FROM sources"));
    }

    // Cancelled while files are queued and being parsed ahead: the import stops, files already
    // committed stay whole, nothing of the others is kept, and the engine returns.
    void readAheadCancelled()
    {
        const QString dir = path(QStringLiteral("racancel"));
        QVERIFY(QDir().mkpath(dir));
        for (int i = 0; i < 20; ++i)
            writeFile(dir + QStringLiteral("/f%1.json").arg(i, 2, 10, QLatin1Char('0')), sysmonLines(1000 * i, 50));
        auto cs = store::CaseStore::open(
            path(QStringLiteral("racancel.ttcase")).toStdString(), store::CaseStore::Access::Create);
        ImportEngine engine(*cs, {});
        int done = 0;
        const ImportSummary sum = engine.run({dir.toStdString()}, {}, [&](const FileReport &) {
            if (++done == 3)
                engine.cancel();
        });
        QVERIFY(sum.cancelled);
        QCOMPARE(sum.count(FileReport::Status::Imported), size_t(3));
        QCOMPARE(count(*cs, "SELECT count(*) FROM sources"), int64_t(3));
        QCOMPARE(count(*cs, "SELECT count(*) FROM events"), int64_t(150));
        QCOMPARE(integrity(*cs), QStringLiteral("ok"));
    }

    // The JSON string writer of rendered payloads: plain runs copied, the rest escaped or replaced.
    void jsonStringEscapes()
    {
        std::string out;
        static const char kIn[] = "C:\\x \"q\"\n\t\x01 caf\xC3\xA9 \xFF end";
        json::appendString(out, std::string_view(kIn, sizeof kIn - 1));
        QCOMPARE(QString::fromStdString(out),
            QString::fromUtf8("\"C:\\\\x \\\"q\\\"\\n\\t\\u0001 caf\xC3\xA9 \xEF\xBF\xBD end\""));
        out.clear();
        json::appendString(out, "");
        QCOMPARE(out, std::string("\"\""));
    }

    void reimportIsNoOp()
    {
        const QString input = path("mixed.json");
        auto cs = store::CaseStore::open(path("a.ttcase").toStdString(), store::CaseStore::Access::ReadWrite);
        const int64_t before = count(*cs, "SELECT count(*) FROM events");
        ImportEngine engine(*cs, {});
        ImportSummary sum = engine.run({input.toStdString()});
        QCOMPARE(int(sum.files.at(0).status), int(FileReport::Status::Duplicate));
        QCOMPARE(sum.exitCode(), 0);
        // Same content under another name and path: still the same evidence.
        QFile::copy(input, path("copy.json"));
        sum = engine.run({path("copy.json").toStdString()});
        QCOMPARE(int(sum.files.at(0).status), int(FileReport::Status::Duplicate));
        QCOMPARE(count(*cs, "SELECT count(*) FROM events"), before);
        QCOMPARE(count(*cs, "SELECT count(*) FROM sources"), int64_t(1));
    }

    void archives()
    {
        const QByteArray a = lines({kLogon4624});
        const QByteArray b = lines({kSysmon3});
        const QByteArray c = lines({kSysmon1});
        writeArchive(path("inner.tar.gz"), "ustar", "gzip", {{"deep/c.json", c}});
        QFile inner(path("inner.tar.gz"));
        QVERIFY(inner.open(QIODevice::ReadOnly));
        writeArchive(path("bundle.zip"), "zip", "",
            {{"logs/a.json", a}, {"logs/b.json", b}, {"nested.tar.gz", inner.readAll()}});
        auto cs = store::CaseStore::open(path("z.ttcase").toStdString(), store::CaseStore::Access::Create);
        ImportEngine engine(*cs, {});
        ImportSummary sum = engine.run({path("bundle.zip").toStdString()});
        QCOMPARE(sum.count(FileReport::Status::Imported), size_t(3));
        QCOMPARE(sum.exitCode(), 0);
        QCOMPARE(count(*cs, "SELECT count(*) FROM sources WHERE path LIKE '%bundle.zip!/logs/a.json'"), int64_t(1));
        QCOMPARE(count(*cs, "SELECT count(*) FROM sources WHERE path LIKE '%bundle.zip!/nested.tar.gz!/deep/c.json'"),
            int64_t(1));
        QCOMPARE(count(*cs, "SELECT count(*) FROM events"), int64_t(3));
        // A bare .gz is one member named after the file.
        writeArchive(path("single.json.gz"), "raw", "gzip", {{"data", lines({kShare5145})}});
        sum = engine.run({path("single.json.gz").toStdString()});
        QCOMPARE(sum.count(FileReport::Status::Imported), size_t(1));
        QVERIFY(QString::fromStdString(sum.files[0].path).endsWith(QLatin1String("single.json.gz!/single.json")));
    }

    void folderWalk()
    {
        QDir(m_dir.path()).mkpath("walk/sub");
        writeFile(path("walk/one.json"), lines({kLogon4624}));
        writeFile(path("walk/sub/two.json"), lines({kSysmon3, kSysmon1}));
        auto cs = store::CaseStore::open(path("w.ttcase").toStdString(), store::CaseStore::Access::Create);
        ImportEngine engine(*cs, {});
        ImportSummary sum = engine.run({path("walk").toStdString()});
        QCOMPARE(sum.count(FileReport::Status::Imported), size_t(2));
        QCOMPARE(count(*cs, "SELECT count(*) FROM events"), int64_t(3));
    }

    // A zip made on a Mac: its __MACOSX/._NAME AppleDouble entries are metadata, skipped and counted
    // once, never a failure; a README inside the archive is skipped with its name.
    void macZipAndNonTelemetryMembers()
    {
        QByteArray appleDouble("\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        ", 24);
        appleDouble.append(QByteArray(64, '\0'));
        writeArchive(path("mac.zip"), "zip", "",
            {{"rec/a.json", lines({kLogon4624})}, {"__MACOSX/rec/._a.json", appleDouble}, {"rec/._b.json", appleDouble},
                {"rec/README.txt", QByteArray("Recorded on a lab network.\n")}});
        auto cs = store::CaseStore::open(path("mac.ttcase").toStdString(), store::CaseStore::Access::Create);
        ImportEngine engine(*cs, {});
        ImportSummary sum = engine.run({path("mac.zip").toStdString()});
        QCOMPARE(sum.count(FileReport::Status::Imported), size_t(1));
        QCOMPARE(sum.count(FileReport::Status::Failed), size_t(0));
        QCOMPARE(sum.appleDoubleSkipped, int64_t(2));
        QCOMPARE(sum.count(FileReport::Status::Skipped), size_t(1));
        const FileReport &readme = sum.files.at(1);
        QVERIFY(QString::fromStdString(readme.path).endsWith(QLatin1String("mac.zip!/rec/README.txt")));
        QVERIFY(QString::fromStdString(readme.message).startsWith(QLatin1String("not telemetry: no known format")));
        QCOMPARE(sum.exitCode(), 0);
        QCOMPARE(count(*cs, "SELECT count(*) FROM sources"), int64_t(1));
    }

    // Files found in a folder that are not telemetry (a README, a pretty-printed ground truth, a
    // Mac's ._ file) are skipped and named; named on the command line, such a file is an error.
    void folderWithNonTelemetryFiles()
    {
        QDir(m_dir.path()).mkpath("gen/sub");
        writeFile(path("gen/one.json"), lines({kLogon4624}));
        writeFile(path("gen/sub/two.json"), lines({kSysmon3}));
        writeFile(path("gen/README.txt"), QByteArray("Generated by transfertrace gen.\n"));
        writeFile(path("gen/ground_truth.json"), QByteArray("{\n  \"transfers\": [\n    {\"src\": \"WS1\"}\n  ]\n}\n"));
        writeFile(path("gen/._one.json"), QByteArray("\x00\x05\x16\x07\x00\x02\x00\x00", 8));
        auto cs = store::CaseStore::open(path("gen.ttcase").toStdString(), store::CaseStore::Access::Create);
        ImportEngine engine(*cs, {});
        ImportSummary sum = engine.run({path("gen").toStdString()});
        QCOMPARE(sum.count(FileReport::Status::Imported), size_t(2));
        QCOMPARE(sum.count(FileReport::Status::Failed), size_t(0));
        QCOMPARE(sum.count(FileReport::Status::Skipped), size_t(2));
        QCOMPARE(sum.appleDoubleSkipped, int64_t(1));
        QCOMPARE(sum.exitCode(), 0);
        QStringList skipped;
        for (const FileReport &f : sum.files)
            if (f.status == FileReport::Status::Skipped)
                skipped << QFileInfo(QString::fromStdString(f.path)).fileName() + QStringLiteral(": ")
                        + QString::fromStdString(f.message).section(QLatin1Char('('), 0, 0).trimmed();
        QCOMPARE(skipped,
            QStringList({QStringLiteral("README.txt: not telemetry: no known format"),
                QStringLiteral("ground_truth.json: not telemetry: a JSON document spread over several lines, not "
                               "JSON lines")}));

        // The same files named explicitly: errors (exit 2 beside a good file, 1 alone).
        ImportEngine named(*cs, {});
        sum = named.run({path("gen/README.txt").toStdString(), path("gen/ground_truth.json").toStdString(),
            path("gen/._one.json").toStdString()});
        QCOMPARE(sum.count(FileReport::Status::Failed), size_t(3));
        QCOMPARE(sum.appleDoubleSkipped, int64_t(0));
        QVERIFY(QString::fromStdString(sum.files[0].message).startsWith(QLatin1String("not a supported format")));
        QVERIFY(QString::fromStdString(sum.files[2].message).contains(QLatin1String("AppleDouble")));
        QCOMPARE(sum.exitCode(), 1);
        writeFile(path("three.json"), lines({kSysmon1}));
        sum = named.run({path("three.json").toStdString(), path("gen/README.txt").toStdString()});
        QCOMPARE(sum.exitCode(), 2);
    }

    // An empty folder is named in the report, not a silent exit 1.
    void emptyFolder()
    {
        QDir(m_dir.path()).mkpath("nothing/here");
        auto cs = store::CaseStore::open(path("e.ttcase").toStdString(), store::CaseStore::Access::Create);
        ImportEngine engine(*cs, {});
        const std::string folder = path("nothing").toStdString();
        ImportSummary sum = engine.run({folder});
        QCOMPARE(sum.files.size(), size_t(1));
        QCOMPARE(int(sum.files[0].status), int(FileReport::Status::Failed));
        QCOMPARE(sum.files[0].message, folder + " holds no files");
        QCOMPARE(sum.exitCode(), 1);
    }

    // A zstd stream of zeros (read by libarchive as a tar holding only its end marker) is said to
    // be no valid archive stream, not "archive holds no files".
    void zstdOfZeros()
    {
        writeArchive(path("zeros.zst"), "raw", "zstd", {{"data", QByteArray(1000, '\0')}});
        auto cs = store::CaseStore::open(path("zz.ttcase").toStdString(), store::CaseStore::Access::Create);
        ImportEngine engine(*cs, {});
        ImportSummary sum = engine.run({path("zeros.zst").toStdString()});
        QCOMPARE(sum.files.size(), size_t(1));
        QCOMPARE(int(sum.files[0].status), int(FileReport::Status::Failed));
        QCOMPARE(sum.files[0].message,
            std::string("not a valid zstd archive stream: it decompresses to data read as 'tar' with no members (e.g. "
                        "only zero bytes): no files, no telemetry"));
        QCOMPARE(sum.exitCode(), 1);
    }

    void cancelRollsBackTheFile()
    {
        QByteArray big;
        for (int i = 0; i < 20000; ++i) {
            QByteArray l(kSysmon3);
            l.replace(QByteArray("\"RecordNumber\":300"),
                QByteArray("\"RecordNumber\":").append(QByteArray::number(1000 + i)));
            big += l + '\n';
        }
        writeFile(path("big.json"), big);
        auto cs = store::CaseStore::open(path("c.ttcase").toStdString(), store::CaseStore::Access::Create);
        ImportEngine engine(*cs, {});
        bool sawRecords = false;
        ImportSummary sum = engine.run({path("big.json").toStdString()}, [&](const ImportProgress &p) {
            if (p.records > 0) {
                sawRecords = true;
                engine.cancel();
            }
        });
        QVERIFY(sawRecords);
        QVERIFY(sum.cancelled);
        QCOMPARE(sum.exitCode(), 130);
        QCOMPARE(count(*cs, "SELECT count(*) FROM events"), int64_t(0));
        QCOMPARE(count(*cs, "SELECT count(*) FROM sources"), int64_t(0));
        QCOMPARE(count(*cs, "SELECT count(*) FROM hosts"), int64_t(0));
        // Running the same command again simply imports it.
        ImportEngine again(*cs, {});
        sum = again.run({path("big.json").toStdString()});
        QCOMPARE(sum.exitCode(), 0);
        QCOMPARE(count(*cs, "SELECT count(*) FROM events"), int64_t(20000));
    }

    // WAL checkpoints run on the helper's own connection while the writer keeps committing;
    // the WAL stays bounded, the case stays consistent, and automatic checkpoints come back.
    void walCheckpointerHelperThread()
    {
        const std::string p = path("wal.ttcase").toStdString();
        auto cs = store::CaseStore::open(p, store::CaseStore::Access::Create);
        cs->db().exec("CREATE TABLE scratch(id INTEGER PRIMARY KEY, v BLOB)");
        const std::string blob(4000, 'x');
        {
            sql::WalCheckpointer ck(cs->db(), cs->path());
            QVERIFY(ck.active());
            auto ins = cs->db().prepare("INSERT INTO scratch(v) VALUES(?)");
            for (int t = 0; t < 100; ++t) { // 100 transactions of ~2 MiB: ~12500 pages in all
                sql::Transaction tx(cs->db());
                for (int i = 0; i < 500; ++i) {
                    ins.bindBlob(1, blob.data(), blob.size());
                    ins.exec();
                }
                tx.commit();
            }
            // The helper ran (asynchronously: wait for it a little).
            for (int i = 0; i < 200 && ck.checkpoints() == 0; ++i)
                QTest::qWait(10);
            QVERIFY(ck.checkpoints() > 0);
        }
        QCOMPARE(cs->db().queryInt("PRAGMA wal_autocheckpoint"), int64_t(1000));
        QCOMPARE(count(*cs, "SELECT count(*) FROM scratch"), int64_t(50000));
        // ~200 MiB were written; had nothing been checkpointed (and the WAL never restarted)
        // the WAL would hold all of it. Bound: kHardFrames pages plus one transaction.
        QVERIFY2(fileSize(p + "-wal") < 100ll << 20, qPrintable(QString::number(fileSize(p + "-wal"))));
        QCOMPARE(integrity(*cs), QStringLiteral("ok"));
        // Not in WAL mode (or no file): inactive, nothing changes.
        auto mem = store::CaseStore::open(":memory:", store::CaseStore::Access::Create);
        sql::WalCheckpointer none(mem->db(), mem->path());
        QVERIFY(!none.active());
    }

    // A child process importing several files is killed (SIGKILL) while the checkpoint helper
    // runs: the case opens, passes integrity_check, and holds exactly the files that were
    // committed, with all their events and nothing of the interrupted one.
    void killedImportKeepsCommittedFilesOnly()
    {
        const std::string p = path("killed.ttcase").toStdString();
        std::vector<std::string> inputs;
        // 16 files: the child must still be importing when the parent sees its third commit
        // (a loaded or sanitizer build polls slowly; with 8 the child sometimes finished first).
        constexpr int kFiles = 16;
        for (int f = 0; f < kFiles; ++f) {
            const QString name = path(QStringLiteral("kill%1.json").arg(f));
            writeFile(name, sysmonLines(100000 * (f + 1), 6000));
            inputs.push_back(name.toStdString());
        }
        {
            auto cs = store::CaseStore::open(p, store::CaseStore::Access::Create);
            ImportEngine engine(*cs, {});
            QCOMPARE(engine.run({inputs[0]}).exitCode(), 0);
        }
        const pid_t child = fork();
        if (child == 0) {
            try {
                auto cs = store::CaseStore::open(p, store::CaseStore::Access::ReadWrite);
                ImportEngine engine(*cs, {});
                engine.run({inputs.begin() + 1, inputs.end()});
            } catch (...) {
            }
            _exit(0);
        }
        QVERIFY(child > 0);
        // Kill it once at least one more file is committed (seen through a reader connection).
        bool killed = false;
        for (int i = 0; i < 3000 && !killed; ++i) {
            try {
                auto ro = store::CaseStore::open(p, store::CaseStore::Access::ReadOnly);
                if (ro->db().queryInt("SELECT count(*) FROM sources") >= 3) {
                    ::kill(child, SIGKILL);
                    killed = true;
                }
            } catch (...) {
            }
            if (!killed)
                QTest::qWait(5);
        }
        int status = 0;
        ::waitpid(child, &status, 0);
        QVERIFY2(killed, "the child finished before it could be killed");
        QVERIFY(WIFSIGNALED(status));

        auto cs = store::CaseStore::open(p, store::CaseStore::Access::ReadWrite);
        QCOMPARE(integrity(*cs), QStringLiteral("ok"));
        const int64_t sources = count(*cs, "SELECT count(*) FROM sources");
        QVERIFY(sources >= 3 && sources < kFiles);
        QCOMPARE(count(*cs, "SELECT count(*) FROM sources WHERE sha256='pending'"), int64_t(0));
        QCOMPARE(count(*cs, "SELECT count(*) FROM events"), sources * 6000);
        QCOMPARE(count(*cs, "SELECT sum(records_stored) FROM sources"), sources * 6000);
        QCOMPARE(count(*cs,
                     "SELECT count(*) FROM events e WHERE NOT EXISTS (SELECT 1 FROM sources s WHERE "
                     "e.id BETWEEN s.first_event AND s.last_event AND e.source_id = s.id)"),
            int64_t(0));
        QCOMPARE(count(*cs,
                     "SELECT count(*) FROM net_connections n WHERE NOT EXISTS (SELECT 1 FROM events e "
                     "WHERE e.id = n.event)"),
            int64_t(0));
        // The rest imports on a second run; what was committed is recognised as a duplicate.
        ImportEngine again(*cs, {});
        ImportSummary sum = again.run({inputs.begin(), inputs.end()});
        QCOMPARE(sum.exitCode(), 0);
        QCOMPARE(count(*cs, "SELECT count(*) FROM events"), int64_t(kFiles * 6000));
        QCOMPARE(integrity(*cs), QStringLiteral("ok"));
    }

    void badFiles()
    {
        writeFile(path("empty.json"), QByteArray());
        writeFile(path("garbage.bin"), QByteArray("\x00\x01\x02\x03garbage", 11));
        writeFile(path("truncated.zip"), QByteArray("PK\x03\x04\x14\x00\x00\x00", 8));
        auto cs = store::CaseStore::open(path("b.ttcase").toStdString(), store::CaseStore::Access::Create);
        ImportEngine engine(*cs, {});
        ImportSummary sum = engine.run({path("empty.json").toStdString(), path("garbage.bin").toStdString(),
            path("truncated.zip").toStdString(), path("missing.json").toStdString()});
        QVERIFY(QString::fromStdString(sum.files[2].message).contains(QLatin1String("zip")));
        QCOMPARE(sum.files.size(), size_t(4));
        for (const FileReport &f : sum.files) {
            QCOMPARE(int(f.status), int(FileReport::Status::Failed));
            QVERIFY2(!f.message.empty(), f.path.c_str());
        }
        QVERIFY(QString::fromStdString(sum.files[0].message).contains(QLatin1String("empty")));
        QVERIFY(QString::fromStdString(sum.files[1].message).contains(QLatin1String("not a supported format")));
        QVERIFY(QString::fromStdString(sum.files[3].message).contains(QLatin1String("no such file")));
        QCOMPARE(sum.exitCode(), 1);
        auto st = cs->db().prepare("PRAGMA integrity_check");
        QVERIFY(st.step());
        QCOMPARE(QString::fromStdString(st.text(0)), QStringLiteral("ok"));
    }

    void newerSchemaRefused()
    {
        const std::string p = path("newer.ttcase").toStdString();
        {
            auto cs = store::CaseStore::open(p, store::CaseStore::Access::Create);
            cs->db().exec("INSERT INTO schema_version VALUES(99, 0, 'future')");
        }
        try {
            store::CaseStore::open(p, store::CaseStore::Access::ReadWrite);
            QFAIL("a newer case file must be refused");
        } catch (const std::runtime_error &e) {
            const QString msg = QString::fromUtf8(e.what());
            QVERIFY2(msg.contains(QLatin1String("99")) && msg.contains(QString::number(store::kSchemaVersion)),
                qPrintable(msg));
        }
    }

    void notACase()
    {
        writeFile(path("text.ttcase"),
            QByteArray("this is not sqlite, just text that is long enough to matter\n").repeated(100));
        try {
            store::CaseStore::open(path("text.ttcase").toStdString(), store::CaseStore::Access::ReadWrite);
            QFAIL("a non-SQLite file must be refused");
        } catch (const std::runtime_error &e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains(QLatin1String("not a TransferTrace case")), e.what());
        }
    }
};

QTEST_GUILESS_MAIN(TstImportEngine)
#include "tst_import_engine.moc"
