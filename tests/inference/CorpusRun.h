#pragma once

// Corpus tests that import recordings one by one (tst_inference_procedures,
// tst_inference_winproc_corpus): a fresh case per run, inferred; the corpus's EVTX files.

#include "TestSupport.h"

#include "core/ImportEngine.h"
#include "inference/InferenceEngine.h"
#include "inference/TransferQuery.h"
#include "store/CaseStore.h"

#include <QDirIterator>
#include <QStringList>

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

} // namespace corpusrun
