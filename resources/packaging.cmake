# A Debian package of everything `cmake --install` puts down (scripts/package.sh builds it from the
# release preset). Runtime libraries are found by dpkg-shlibdeps from what the binary links; the
# plugins Qt and Graphviz load at run time (xcb / offscreen platforms, the SVG icon engine, dot
# layout) ship in those same library packages on Debian 12. No maintainer scripts: dpkg triggers of
# shared-mime-info, desktop-file-utils and the hicolor icon cache refresh their databases when files
# land in share/mime/packages, share/applications and share/icons/hicolor.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME transfertrace)
set(CPACK_PACKAGE_VENDOR "TransferTrace")
set(CPACK_PACKAGE_CONTACT "TransferTrace maintainers <maintainers@transfertrace.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "workbench for investigating lateral tool transfer (MITRE T1570)")
# One string (separate arguments would become a ;-list), lines under 80 columns for dpkg.
set(CPACK_PACKAGE_DESCRIPTION "TransferTrace reads Windows and Linux host telemetry (EVTX, event XML,\n\
NXLog / Winlogbeat JSON, Zeek, EvtxECmd / Hayabusa timelines, audit, syslog,\n\
journald) into one SQLite case file and infers which host pushed which file\n\
to which host, as which account and by which process chain. A Qt workbench\n\
(graph, timeline, process ancestry, evidence) and a command line.")
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Text in exported pictures and reports needs a font; a desktop has one already.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "fonts-dejavu-core")
include(CPack)
