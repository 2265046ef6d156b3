// Every committed fuzz input through its fuzz target, in the ordinary build and under the
// sanitizer build: the seeds listed in tests/fixtures/fuzz/seeds.txt (which scripts/fuzz.sh reads
// too) and the reproducers of the crashes the fuzzers found (tests/fixtures/fuzz/<target>/regress-*).
// A reproducer that crashes again fails (or aborts) this test.
#include "FuzzTargets.h"
#include "TestSupport.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QTest>

#include <algorithm>

namespace {

using Entry = int (*)(const uint8_t *, size_t);
struct Target {
    const char *name;
    Entry entry;
};
#define TT_FUZZ_ENTRY_ROW(name) Target {#name, &tt::fuzz::name},
constexpr Target kTargets[] = {TT_FUZZ_TARGETS(TT_FUZZ_ENTRY_ROW)};
#undef TT_FUZZ_ENTRY_ROW

struct Input {
    QString target;
    QString path;
};

// seeds.txt: "target  dir/pattern" per line (paths under tests/fixtures), # comments.
QList<Input> committedInputs()
{
    const QString fixtures = tt::test::fixturesDir();
    QFile list(fixtures + QStringLiteral("/fuzz/seeds.txt"));
    if (!list.open(QIODevice::ReadOnly | QIODevice::Text))
        qFatal("cannot read %s", qPrintable(list.fileName()));
    QList<Input> inputs;
    while (!list.atEnd()) {
        const QString line = QString::fromUtf8(list.readLine()).trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        const QStringList parts = line.split(QRegularExpression(QStringLiteral("\\s+")));
        if (parts.size() != 2)
            qFatal("seeds.txt: bad line '%s'", qPrintable(line));
        const QString rel = parts[1];
        const int slash = rel.lastIndexOf(QLatin1Char('/'));
        const QDir dir(fixtures + QLatin1Char('/') + rel.left(slash));
        for (const QString &file : dir.entryList({rel.mid(slash + 1)}, QDir::Files, QDir::Name))
            inputs.push_back({parts[0], dir.filePath(file)});
    }
    return inputs;
}

const Target *findTarget(const QString &name)
{
    for (const Target &t : kTargets)
        if (name == QLatin1String(t.name))
            return &t;
    return nullptr;
}

} // namespace

class TstFuzzRegressions : public QObject {
    Q_OBJECT
private slots:
    // Every target has committed inputs (a target without seeds is fuzzed from nothing), and
    // seeds.txt names no target that does not exist.
    void everyTargetHasInputs()
    {
        const QList<Input> inputs = committedInputs();
        for (const Input &in : inputs)
            QVERIFY2(findTarget(in.target), qPrintable(QStringLiteral("seeds.txt: unknown target ") + in.target));
        for (const Target &t : kTargets) {
            const bool any = std::any_of(
                inputs.begin(), inputs.end(), [&](const Input &in) { return in.target == QLatin1String(t.name); });
            QVERIFY2(any, t.name);
        }
    }

    void inputsRunClean_data()
    {
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("path");
        for (const Input &in : committedInputs())
            QTest::newRow(
                qPrintable(in.target + QLatin1Char(' ') + QDir(tt::test::fixturesDir()).relativeFilePath(in.path)))
                << in.target << in.path;
    }
    void inputsRunClean()
    {
        QFETCH(QString, target);
        QFETCH(QString, path);
        const Target *t = findTarget(target);
        QVERIFY(t);
        QFile f(path);
        QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(path));
        const QByteArray bytes = f.readAll();
        QCOMPARE(t->entry(reinterpret_cast<const uint8_t *>(bytes.constData()), size_t(bytes.size())), 0);
    }
};

QTEST_GUILESS_MAIN(TstFuzzRegressions)
#include "tst_fuzz_regressions.moc"
