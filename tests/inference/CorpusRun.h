#pragma once

// Corpus tests that import recordings one by one (tst_inference_procedures,
// tst_inference_winproc_corpus): a fresh case per run, inferred; the corpus's EVTX files; the
// Session both run their procedures and the rest of the corpus through.

#include "TestSupport.h"

#include "core/ImportEngine.h"
#include "inference/InferenceEngine.h"
#include "inference/TransferQuery.h"
#include "store/CaseStore.h"

#include <QDirIterator>
#include <QFile>
#include <QStringList>
#include <QTemporaryDir>
#include <QTest>

#include <set>
#include <string>
#include <vector>

namespace corpusrun {

inline std::vector<tt::inference::TransferRow> inferFiles(const QString &casePath, const QStringList &files)
{
    auto cs = tt::store::CaseStore::open(casePath.toStdString(), tt::store::CaseStore::Access::Create);
    std::vector<std::string> in;
    for (const QString &f : files)
        in.push_back(f.toStdString());
    tt::ImportEngine(*cs, {}).run(in);
    tt::inference::InferenceEngine(*cs).run();
    return tt::inference::listTransfers(*cs, {});
}

// Corpus files (paths relative to the corpus) as absolute paths, each noted in covered.
inline QStringList corpusPaths(const std::vector<std::string> &files, std::set<QString> &covered)
{
    QStringList out;
    for (const std::string &f : files) {
        covered.insert(QString::fromStdString(f));
        out << tt::test::corpusDir() + QLatin1Char('/') + QString::fromStdString(f);
    }
    return out;
}

// Every *.evtx below corpus/evtx, sorted.
inline QStringList evtxFiles()
{
    QDirIterator it(tt::test::corpusDir() + QStringLiteral("/evtx"), {QStringLiteral("*.evtx")}, QDir::Files,
        QDirIterator::Subdirectories);
    QStringList all;
    while (it.hasNext())
        all << it.next();
    all.sort();
    return all;
}

// The rows of a data-driven test over procedures (each with a `name`): column "index".
template<class Procedure> void addProcedureRows(const std::vector<Procedure> &all)
{
    QTest::addColumn<int>("index");
    for (size_t i = 0; i < all.size(); ++i)
        QTest::newRow(all[i].name) << int(i);
}

// The skeleton both tests share: a fresh case per run in one temporary folder, the procedures'
// recordings noted as covered, then every other recording of the corpus on its own.
class Session {
public:
    // The procedure's files (relative to the corpus) imported together and inferred. A file that
    // is missing is named in `missing` and nothing is imported.
    std::vector<tt::inference::TransferRow> procedure(const std::vector<std::string> &files, QString &missing)
    {
        const QStringList paths = corpusPaths(files, m_covered);
        for (const QString &f : paths)
            if (!QFile::exists(f))
                missing += f + QLatin1Char('\n');
        if (!missing.isEmpty())
            return {};
        return inferFiles(m_dir.filePath(QStringLiteral("p%1.ttcase").arg(++m_case)), paths);
    }

    // check(relativePath, transfers) for every corpus EVTX file no procedure covered, each in a
    // fresh case (removed afterwards). Returns how many there were; `total` is the corpus's count.
    template<class Check> int otherRecordings(int &total, Check check)
    {
        const QStringList all = evtxFiles();
        total = int(all.size());
        int checked = 0;
        for (const QString &f : all) {
            const QString rel = f.mid(tt::test::corpusDir().size() + 1);
            if (m_covered.count(rel))
                continue;
            ++checked;
            const QString path = m_dir.filePath(QStringLiteral("o%1.ttcase").arg(++m_case));
            check(rel, inferFiles(path, {f}));
            QFile::remove(path);
        }
        return checked;
    }

private:
    QTemporaryDir m_dir;
    int m_case = 0;
    std::set<QString> m_covered;
};

} // namespace corpusrun
