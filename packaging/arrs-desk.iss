; Inno Setup 6.3+ script: a per-user installer for the one-folder bundle in dist\arrs-desk.
; Practice PCs are managed and staff have no administrator rights, so it installs into
; %LOCALAPPDATA%\Programs\ARRS Desk and adds a Start-menu shortcut for this user only.
; Built by packaging\build_windows.ps1 (which passes /DAppVersion from arrs_desk.__version__):
;   ISCC.exe /DAppVersion=0.1.0 packaging\arrs-desk.iss

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif

[Setup]
; A fixed AppId lets later versions upgrade this installation in place.
AppId={{6B0F3E8E-5C2A-4C1B-9A57-2E3D9A1D7C41}
AppName=ARRS Desk
AppVersion={#AppVersion}
AppPublisher=ARRS Desk developers
AppVerName=ARRS Desk {#AppVersion}
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=commandline
DefaultDirName={localappdata}\Programs\ARRS Desk
DefaultGroupName=ARRS Desk
DisableProgramGroupPage=yes
DisableDirPage=auto
OutputDir=..\dist
OutputBaseFilename=ARRS-Desk-Setup-{#AppVersion}
SetupIconFile=arrs-desk.ico
UninstallDisplayIcon={app}\arrs-desk-gui.exe
UninstallDisplayName=ARRS Desk
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; The database, backups and logs live in the user's data folder, not here, so uninstalling or
; upgrading never touches records.
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "..\dist\arrs-desk\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; Files of an older bundle that this version no longer ships.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{userprograms}\ARRS Desk"; Filename: "{app}\arrs-desk-gui.exe"; WorkingDir: "{app}"; Comment: "Induction, supervision and appraisal records for ARRS staff"
Name: "{userdesktop}\ARRS Desk"; Filename: "{app}\arrs-desk-gui.exe"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\arrs-desk-gui.exe"; Description: "{cm:LaunchProgram,ARRS Desk}"; Flags: nowait postinstall skipifsilent
