// Records of real EVTX files (the attack corpus) come back from the compressed blocks exactly as
// the case promises for EVTX: the JSON rendered from the record's fields (docs/record-conventions.md),
// byte for byte. Skipped (exit 77) without the corpus.

#include "RecordCheck.h"

#include <QCoreApplication>
#include <QTemporaryDir>

using namespace tt;

class TstRecordCorpus : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

private slots:
    void evtxPayloadsByteExact_data()
    {
        QTest::addColumn<QString>("file");
        const QString c = test::corpusDir() + QStringLiteral("/evtx/");
        // Sysmon, Security, PowerShell, a large file with many blocks.
        QTest::newRow("Sysmon (SharpRdp)")
            << c + "EVTX-ATTACK-SAMPLES/Lateral_Movement/LM_sysmon_1_12_13_3_tsclient_SharpRdp.evtx";
        QTest::newRow("Security 5145") << c + "EVTX-ATTACK-SAMPLES/Lateral_Movement/LM_5145_Remote_FileCopy.evtx";
        QTest::newRow("Security WMI") << c + "EVTX-ATTACK-SAMPLES/Lateral_Movement/LM_WMI_4624_4688_TargetHost.evtx";
        QTest::newRow("PowerShell, large") << c
                + "EVTX-to-MITRE-Attack/TA0005-Defense_Evasion/T1027-Obfuscated_Files_or_Information/"
                  "ID4103-4104-CrackMapExec_payload_execution.evtx";
    }
    void evtxPayloadsByteExact()
    {
        QFETCH(QString, file);
        QVERIFY2(QFile::exists(file), qPrintable(file));
        static int n = 0;
        const std::string casePath = m_dir.filePath(QStringLiteral("e%1.ttcase").arg(++n)).toStdString();
        QVERIFY(test::checkImportedPayloads(casePath, file.toStdString()) > 0);
    }
};

int main(int argc, char **argv)
{
    tt::test::requireCorpusOrSkip();
    QCoreApplication app(argc, argv);
    TstRecordCorpus t;
    return QTest::qExec(&t, argc, argv);
}

#include "tst_record_corpus.moc"
