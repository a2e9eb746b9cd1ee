; The Windows installer of 涉密文件管理, built by .ci/dist-windows:
;   makensis -INPUTCHARSET UTF8 -DVERSION=0.2.0 -DVIVERSION=0.2.0.2 -DSTAGE=DIR \
;     -DICON=secdoc.ico -DOUTFILE=FILE secdoc.nsi
; STAGE holds secdoc.exe (the window), secdoc-cli.exe (the same program for
; the command prompt), LICENSE-wqy-microhei.txt and 说明.txt.
;
; It installs for every user of the machine into Program Files\secdoc, adds
; one Start-menu shortcut and an entry in 应用和功能 (Add/Remove Programs).
; Installing over an older version replaces the program and keeps the data.
; The data (database, audit keys) lives in each user's %AppData%\secdoc: the
; uninstaller removes only the files listed here and never that folder.
; /S installs or uninstalls silently; /D=DIR (last, unquoted) picks the folder.

Unicode true
Target amd64-unicode
ManifestSupportedOS all
ManifestDPIAware true
RequestExecutionLevel admin
SetCompressor /SOLID lzma
SetCompressorDictSize 64   ; both programs in one window: the second costs almost nothing
SetDatablockOptimize on

!define APPNAME "涉密文件管理"
!define PUBLISHER "secdoc"
!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\secdoc"

Name "${APPNAME} ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\secdoc"
InstallDirRegKey HKLM "${UNINSTKEY}" "InstallLocation"
BrandingText "${APPNAME} ${VERSION}"
ShowInstDetails show
ShowUninstDetails show

VIProductVersion "${VIVERSION}"
VIFileVersion "${VIVERSION}"
VIAddVersionKey /LANG=2052 "ProductName" "${APPNAME}"
VIAddVersionKey /LANG=2052 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "FileDescription" "${APPNAME} ${VERSION} 安装程序"
VIAddVersionKey /LANG=2052 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=2052 "LegalCopyright" "secdoc authors"

!include MUI2.nsh
!include LogicLib.nsh
!include WinVer.nsh
!include FileFunc.nsh

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_WELCOMEPAGE_TEXT "将在本机安装 ${APPNAME} ${VERSION}，供本机的所有用户使用。$\r$\n$\r$\n如果已安装旧版本，请先在旧版本中做一次加密备份（系统管理员：备份与恢复），并关闭程序，再继续。安装新版本不会删除已有的数据。$\r$\n$\r$\n点击“下一步”继续。"
!define MUI_FINISHPAGE_TEXT "${APPNAME} ${VERSION} 已安装。$\r$\n$\r$\n请从开始菜单中的“${APPNAME}”打开程序。数据保存在每个用户自己的 %AppData%\secdoc 文件夹中。"
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!define MUI_UNCONFIRMPAGE_TEXT_TOP "将从本机删除 ${APPNAME} 程序及其开始菜单快捷方式。数据库、审计密钥和备份（各用户的 %AppData%\secdoc 文件夹）不会删除。"
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "SimpChinese"

Function .onInit
  ${IfNot} ${AtLeastWin10}
    MessageBox MB_ICONSTOP "${APPNAME} 需要 Windows 10 或更高版本（64 位）。" /SD IDOK
    Abort
  ${EndIf}
  SetShellVarContext all
FunctionEnd

Function un.onInit
  SetShellVarContext all
FunctionEnd

Section "Install"
  SetOutPath "$INSTDIR"
  SetOverwrite on
  File "${STAGE}\secdoc.exe"
  File "${STAGE}\secdoc-cli.exe"
  File "${STAGE}\LICENSE-wqy-microhei.txt"
  File "${STAGE}\说明.txt"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  CreateShortCut "$SMPROGRAMS\${APPNAME}.lnk" "$INSTDIR\secdoc.exe" "" "$INSTDIR\secdoc.exe" 0 SW_SHOWNORMAL "" "涉密文件、载体的登记、流转、审批、统计和加密备份"

  WriteRegStr HKLM "${UNINSTKEY}" "DisplayName" "${APPNAME}"
  WriteRegStr HKLM "${UNINSTKEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTKEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKLM "${UNINSTKEY}" "DisplayIcon" "$INSTDIR\secdoc.exe,0"
  WriteRegStr HKLM "${UNINSTKEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTKEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${UNINSTKEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINSTKEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTKEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKLM "${UNINSTKEY}" "EstimatedSize" $0
SectionEnd

; Only what the installer put there: the data folders are never touched.
Section "Uninstall"
  Delete "$SMPROGRAMS\${APPNAME}.lnk"
  Delete "$INSTDIR\secdoc.exe"
  Delete "$INSTDIR\secdoc-cli.exe"
  Delete "$INSTDIR\LICENSE-wqy-microhei.txt"
  Delete "$INSTDIR\说明.txt"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKLM "${UNINSTKEY}"
SectionEnd
