// Every committed fuzz input (tests/fixtures/fuzz/<target>/: seeds and the reproducers of the
// crashes the fuzzers found, named regress-*) through its fuzz target, in the ordinary build and
// under the sanitizer build: a reproducer that crashes again fails (or aborts) this test.
#include "FuzzTargets.h"
#include "TestSupport.h"

#include <QDir>
#include <QFile>
#include <QTest>

#include <string_view>

namespace {

using Entry = int (*)(const uint8_t *, size_t);
struct Target {
    const char *name;
    Entry entry;
};
#define TT_FUZZ_ENTRY_ROW(name) Target {#name, &tt::fuzz::name},
constexpr Target kTargets[] = {TT_FUZZ_TARGETS(TT_FUZZ_ENTRY_ROW)};
#undef TT_FUZZ_ENTRY_ROW

} // namespace

class TstFuzzRegressions : public QObject {
    Q_OBJECT
private slots:
    // Every target has committed inputs (a target without seeds is fuzzed from nothing).
    void everyTargetHasInputs_data()
    {
        QTest::addColumn<QString>("target");
        for (const Target &t : kTargets)
            QTest::newRow(t.name) << QString::fromLatin1(t.name);
    }
    void everyTargetHasInputs()
    {
        QFETCH(QString, target);
        const QDir dir(tt::test::fixturesDir() + QStringLiteral("/fuzz/") + target);
        QVERIFY2(!dir.entryList(QDir::Files).isEmpty(), qPrintable(dir.path() + QStringLiteral(" has no inputs")));
    }

    void inputsRunClean_data()
    {
        QTest::addColumn<int>("target");
        QTest::addColumn<QString>("path");
        for (int i = 0; i < int(std::size(kTargets)); ++i) {
            const QString name = QString::fromLatin1(kTargets[i].name);
            const QDir dir(tt::test::fixturesDir() + QStringLiteral("/fuzz/") + name);
            for (const QString &file : dir.entryList(QDir::Files, QDir::Name))
                QTest::newRow(qPrintable(name + QLatin1Char('/') + file)) << i << dir.filePath(file);
        }
    }
    void inputsRunClean()
    {
        QFETCH(int, target);
        QFETCH(QString, path);
        QFile f(path);
        QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(path));
        const QByteArray bytes = f.readAll();
        QCOMPARE(kTargets[target].entry(reinterpret_cast<const uint8_t *>(bytes.constData()), size_t(bytes.size())), 0);
    }
};

QTEST_GUILESS_MAIN(TstFuzzRegressions)
#include "tst_fuzz_regressions.moc"
