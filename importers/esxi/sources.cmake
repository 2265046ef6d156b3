# VMware ESXi logs (shell.log, auth.log, hostd.log, vobd.log): parser, message classes, shell
# directory tracking, normalisation.
list(APPEND TT_IMPORTER_SOURCES
  esxi/EsxiMessage.h esxi/EsxiMessage.cpp
  esxi/ShellTracker.h esxi/ShellTracker.cpp
  esxi/EsxiLogParser.h esxi/EsxiLogParser.cpp
  esxi/EsxiNormalizer.h esxi/EsxiNormalizer.cpp
)
