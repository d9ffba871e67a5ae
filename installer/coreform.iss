; Inno Setup script: a per-user Windows installer from the one-folder bundle.
; Build the bundle on Windows first (uv run --with pyinstaller python installer/build.py),
; then: iscc installer\coreform.iss   (the installer lands in dist\installer\).
#define AppVersion GetEnv("COREFORM_VERSION")
#if AppVersion == ""
  #define AppVersion "0.1.0"
#endif

[Setup]
AppId={{6E3C2F0B-6C1B-4E55-9E7B-6A3E5A1C0F42}
AppName=coreform
AppVersion={#AppVersion}
AppPublisher=coreform developers
DefaultDirName={autopf}\coreform
DefaultGroupName=coreform
; Locked-down PCs: no administrator rights needed, installs for the current user.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
OutputDir=..\dist\installer
OutputBaseFilename=coreform-{#AppVersion}-setup
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
LicenseFile=..\LICENSE
UninstallDisplayIcon={app}\coreform.exe

[Files]
Source: "..\dist\coreform\*"; DestDir: "{app}"; Flags: recursesubdirs ignoreversion

[Icons]
Name: "{group}\coreform"; Filename: "{app}\coreform.exe"
Name: "{group}\Uninstall coreform"; Filename: "{uninstallexe}"

[Run]
; The same check IT runs after deploying: exits non-zero with the reason if anything is missing.
Filename: "{app}\coreform-cli.exe"; Parameters: "--smoke"; Flags: runhidden waituntilterminated; StatusMsg: "Checking the installation…"
Filename: "{app}\coreform.exe"; Description: "Open coreform"; Flags: postinstall nowait skipifsilent
