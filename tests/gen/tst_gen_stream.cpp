// Input without staging (issue 12 item 4): `transfertrace gen --stdout | transfertrace import CASE -`
// gives the same case as generating files and importing the folder (events, hosts, payloads,
// transfers), the stream's provenance is "-" with the SHA-256 of the bytes that went through the
// pipe, and a gzip stream on standard input is detected and read the same way.

#include "CliRun.h"
#include "store/CaseStore.h"
#include "store/Sqlite.h"
#include "store/StoredRecords.h"

#include <QCryptographicHash>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <zlib.h>

#include <algorithm>

using namespace tt;

namespace {

const QStringList kGen {QStringLiteral("--hosts"), QStringLiteral("5"), QStringLiteral("--events"),
    QStringLiteral("8000"), QStringLiteral("--seed"), QStringLiteral("11"), QStringLiteral("--no-sensor")};

QString binary()
{
    return QString::fromLocal8Bit(qgetenv("TT_BINARY_DIR")) + QStringLiteral("/app/transfertrace");
}

// Every stored payload, sorted (the two routes store the hosts in another order).
std::vector<std::string> payloads(sql::Db &db)
{
    std::vector<std::string> out;
    for (const test::StoredRecord &r : test::storedRecords(db)) {
        if (!r.ok)
            return {};
        out.push_back(r.payload);
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<std::string> rows(sql::Db &db, const char *sqlText)
{
    std::vector<std::string> out;
    auto st = db.prepare(sqlText);
    while (st.step()) {
        std::string r;
        for (int c = 0; c < st.columnCount(); ++c)
            r += st.text(c) + '|';
        out.push_back(r);
    }
    return out;
}

QByteArray gzip(const QByteArray &in)
{
    z_stream z {};
    deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY); // 15 + 16: a gzip member
    QByteArray out(static_cast<qsizetype>(deflateBound(&z, static_cast<uLong>(in.size()))), '\0');
    z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(in.constData()));
    z.avail_in = static_cast<uInt>(in.size());
    z.next_out = reinterpret_cast<Bytef *>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    deflate(&z, Z_FINISH);
    out.resize(static_cast<qsizetype>(z.total_out));
    deflateEnd(&z);
    return out;
}

// Runs `transfertrace import CASE - --no-infer` with `input` on its standard input.
test::Run importStdin(const QString &casePath, const QByteArray &input)
{
    QProcess p;
    p.setProgram(binary());
    p.setArguments({QStringLiteral("import"), casePath, QStringLiteral("-"), QStringLiteral("--quiet")});
    p.start();
    p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(180000))
        return {};
    return {p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError()};
}

} // namespace

class TstGenStream : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

private slots:
    void pipeEqualsFileRoute()
    {
        const QString files = m_dir.filePath(QStringLiteral("files"));
        const QString viaFiles = m_dir.filePath(QStringLiteral("files.ttcase"));
        const QString viaPipe = m_dir.filePath(QStringLiteral("pipe.ttcase"));
        test::Run g = test::cli(QStringList {QStringLiteral("gen"), QStringLiteral("--out"), files,
                                    QStringLiteral("--linux"), QStringLiteral("0")}
            + kGen);
        QVERIFY2(g.code == 0, g.err.constData());
        test::Run i = test::cli({QStringLiteral("import"), viaFiles, files, QStringLiteral("--quiet")});
        QVERIFY2(i.code == 0, i.err.constData());

        // The real pipe, as a shell would set it up: gen's stdout is import's stdin.
        QProcess gen, imp;
        gen.setStandardOutputProcess(&imp);
        gen.setProgram(binary());
        gen.setArguments(QStringList {QStringLiteral("gen"), QStringLiteral("--stdout")} + kGen);
        imp.setProgram(binary());
        imp.setArguments({QStringLiteral("import"), viaPipe, QStringLiteral("-"), QStringLiteral("--verbose")});
        gen.start();
        imp.start();
        QVERIFY(gen.waitForFinished(180000));
        QVERIFY(imp.waitForFinished(180000));
        QCOMPARE(gen.exitCode(), 0);
        const QByteArray impLog = imp.readAllStandardError();
        QVERIFY2(imp.exitCode() == 0, impLog.constData());
        // A stream has no size up front: into a small case it is a bulk import (indexes dropped,
        // rebuilt once at the end), and the case ends with the same indexes as the file route.
        QVERIFY2(impLog.contains("secondary indexes dropped"), impLog.constData());

        // The streamed bytes are the file route's host files, one after another.
        test::Run bytes = test::cli(QStringList {QStringLiteral("gen"), QStringLiteral("--stdout")} + kGen);
        QCOMPARE(bytes.code, 0);
        QVERIFY(bytes.out.size() > 1000000);

        auto a = store::CaseStore::open(viaFiles.toStdString(), store::CaseStore::Access::ReadOnly);
        auto b = store::CaseStore::open(viaPipe.toStdString(), store::CaseStore::Access::ReadOnly);
        sql::Db &fa = a->db();
        sql::Db &pb = b->db();
        QCOMPARE(pb.queryInt("SELECT count(*) FROM events"), fa.queryInt("SELECT count(*) FROM events"));
        QCOMPARE(pb.queryInt("SELECT count(*) FROM events"), int64_t(8000));
        QCOMPARE(rows(pb, "SELECT name, event_count, first_ts, last_ts FROM hosts ORDER BY name"),
            rows(fa, "SELECT name, event_count, first_ts, last_ts FROM hosts ORDER BY name"));
        QCOMPARE(rows(pb, "SELECT count(*) FROM processes"), rows(fa, "SELECT count(*) FROM processes"));
        const char *indexes = "SELECT name, tbl_name FROM sqlite_schema WHERE type = 'index' ORDER BY name";
        QVERIFY(rows(fa, indexes).size() > 20);
        QCOMPARE(rows(pb, indexes), rows(fa, indexes));
        QCOMPARE(pb.queryInt("SELECT count(*) FROM deferred_indexes"), int64_t(0));
        const char *transfers = "SELECT key, method, direction, confidence_label, rules FROM transfers ORDER BY key";
        QVERIFY(!rows(fa, transfers).empty());
        QCOMPARE(rows(pb, transfers), rows(fa, transfers));
        const std::vector<std::string> pa = payloads(fa);
        QCOMPARE(pa.size(), size_t(8000));
        QVERIFY(payloads(pb) == pa);
        // Provenance: one source named "-", hashed on the fly over exactly the piped bytes.
        QCOMPARE(
            rows(pb, "SELECT path, format, records_stored FROM sources"), std::vector<std::string> {"-|jsonl|8000|"});
        QCOMPARE(rows(pb, "SELECT sha256 FROM sources"),
            std::vector<std::string> {
                QCryptographicHash::hash(bytes.out, QCryptographicHash::Sha256).toHex().toStdString() + '|'});
    }

    // Any supported format on standard input, compressed streams included; the same stream again
    // is recognised by its hash; nothing on standard input is an error.
    void compressedAndRepeatedStdin()
    {
        test::Run bytes = test::cli(QStringList {QStringLiteral("gen"), QStringLiteral("--stdout")} + kGen);
        QCOMPARE(bytes.code, 0);
        const QString c = m_dir.filePath(QStringLiteral("gz.ttcase"));
        test::Run r = importStdin(c, gzip(bytes.out));
        QVERIFY2(r.code == 0, r.err.constData());
        {
            auto cs = store::CaseStore::open(c.toStdString(), store::CaseStore::Access::ReadOnly);
            QCOMPARE(cs->db().queryInt("SELECT count(*) FROM events"), int64_t(8000));
            QCOMPARE(rows(cs->db(), "SELECT substr(path, 1, 1), format FROM sources"),
                std::vector<std::string> {"-|jsonl|"});
        }
        r = importStdin(c, bytes.out); // the same records, uncompressed: same content hash
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.contains("already in the case"), r.out.constData());
        r = importStdin(c, QByteArray());
        QVERIFY(r.code != 0);
        QVERIFY2(r.out.contains("-") || r.err.contains("-"), r.err.constData());
    }

    void genStdoutUsage()
    {
        QCOMPARE(test::cli({QStringLiteral("gen")}).code, 2);
        QCOMPARE(test::cli({QStringLiteral("gen"), QStringLiteral("--stdout"), QStringLiteral("--out"),
                               m_dir.filePath(QStringLiteral("x"))})
                     .code,
            2);
        QCOMPARE(test::cli({QStringLiteral("gen"), QStringLiteral("--stdout"), QStringLiteral("--format"),
                               QStringLiteral("xml")})
                     .code,
            2);
    }
};

QTEST_GUILESS_MAIN(TstGenStream)
#include "tst_gen_stream.moc"
