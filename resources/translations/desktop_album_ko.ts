<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko" sourcelanguage="en">
    <context>
        <name>IndexStatus</name>
        <message>
            <location filename="../../desktop_album/gui/status_panel.py" line="36" />
            <source>Cancel</source>
            <translation>취소</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/status_panel.py" line="52" />
            <location filename="../../desktop_album/gui/status_panel.py" line="69" />
            <source>Looking for photos…</source>
            <translation>사진을 찾는 중…</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/status_panel.py" line="57" />
            <source>Resume</source>
            <translation>계속</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/status_panel.py" line="57" />
            <source>Pause</source>
            <translation>일시 정지</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/status_panel.py" line="59" />
            <source>Indexing paused</source>
            <translation>색인 일시 정지됨</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/status_panel.py" line="76" />
            <source>Indexing {done} of {total}</source>
            <translation>색인 중 {done}/{total}</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/status_panel.py" line="78" />
            <source>{rate} photos/s</source>
            <translation>초당 {rate}장</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/status_panel.py" line="84" />
            <source>Indexing stopped. It continues where it left off next time.</source>
            <translation>색인을 멈췄습니다. 다음에 멈춘 곳부터 이어서 합니다.</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/status_panel.py" line="86" />
            <source>Folders scanned. Photos will be searchable once a model is installed.</source>
            <translation>폴더를 살펴봤습니다. 모델을 설치하면 사진을 검색할 수 있습니다.</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/status_panel.py" line="87" />
            <source>Indexing finished: {count} new photos in {seconds} s.</source>
            <translation>색인 완료: 새 사진 {count}장 ({seconds}초).</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/status_panel.py" line="91" />
            <source>{count} could not be read.</source>
            <translation>{count}장은 읽을 수 없었습니다.</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/status_panel.py" line="93" />
            <source>{count} folders are offline.</source>
            <translation>폴더 {count}개에 연결할 수 없습니다.</translation>
        </message>
    </context>
    <context>
        <name>LibrarySidebar</name>
        <message>
            <location filename="../../desktop_album/gui/sidebar.py" line="48" />
            <source>Library</source>
            <translation>라이브러리</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/sidebar.py" line="68" />
            <source>Add folder…</source>
            <translation>폴더 추가…</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/sidebar.py" line="96" />
            <source>All photos</source>
            <translation>모든 사진</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/sidebar.py" line="102" />
            <source>{folder} (offline)</source>
            <translation>{folder} (오프라인)</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/sidebar.py" line="106" />
            <source>Offline: the folder cannot be reached (unplugged drive?).</source>
            <translation>오프라인: 폴더에 연결할 수 없습니다 (드라이브가 분리되었나요?).</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/sidebar.py" line="107" />
            <source>Its photos stay in the library and can still be searched.</source>
            <translation>사진은 라이브러리에 남아 있고 계속 검색할 수 있습니다.</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/sidebar.py" line="114" />
            <source>Indexing…</source>
            <translation>색인 중…</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/sidebar.py" line="137" />
            <source>1 photo</source>
            <translation>사진 1장</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/sidebar.py" line="137" />
            <source>{count} photos</source>
            <translation>사진 {count}장</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/sidebar.py" line="161" />
            <source>Scan again</source>
            <translation>다시 검사</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/sidebar.py" line="163" />
            <source>Remove from library</source>
            <translation>라이브러리에서 제거</translation>
        </message>
    </context>
    <context>
        <name>LiveWatch</name>
        <message>
            <location filename="../../desktop_album/gui/live_watch.py" line="384" />
            <source>Too many folders to watch (the system's limit was reached): {path} is checked by polling, so changes may take a minute to appear.</source>
            <translation>감시할 폴더가 너무 많습니다(시스템 한도에 도달함). {path} 폴더는 주기적으로 확인하므로 변경 사항이 나타나기까지 1분쯤 걸릴 수 있습니다.</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/live_watch.py" line="389" />
            <source>{path} is on a network drive: it is checked by polling, so changes may take a minute to appear.</source>
            <translation>{path} 폴더는 네트워크 드라이브에 있어 주기적으로 확인하므로 변경 사항이 나타나기까지 1분쯤 걸릴 수 있습니다.</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/live_watch.py" line="394" />
            <source>{path} cannot be watched ({error}): changes show up when it is scanned again.</source>
            <translation>{path} 폴더를 감시할 수 없습니다({error}). 변경 사항은 다시 검사할 때 반영됩니다.</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/live_watch.py" line="363" />
            <source>{folder} is offline (unplugged drive?). Its photos are kept.</source>
            <translation>{folder}에 연결할 수 없습니다(드라이브가 분리되었나요?). 사진은 그대로 유지됩니다.</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/live_watch.py" line="366" />
            <source>{folder} is back online.</source>
            <translation>{folder}에 다시 연결되었습니다.</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/live_watch.py" line="417" />
            <source>Photos disappeared</source>
            <translation>사진이 사라졌습니다</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/live_watch.py" line="419" />
            <source>{count} photos in {folder} disappeared at once. Was the drive unplugged?</source>
            <translation>{folder}에서 사진 {count}장이 한꺼번에 사라졌습니다. 드라이브가 분리되었나요?</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/live_watch.py" line="422" />
            <source>Keep them</source>
            <translation>그대로 두기</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/live_watch.py" line="424" />
            <source>Mark them missing</source>
            <translation>없어진 것으로 표시</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <location filename="../../desktop_album/gui/main_window.py" line="283" />
            <source>Loading the model…</source>
            <translation>모델을 불러오는 중…</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/main_window.py" line="91" />
            <source>Desktop Album</source>
            <translation>데스크톱 앨범</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/main_window.py" line="161" />
            <source>&amp;File</source>
            <translation>파일(&amp;F)</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/main_window.py" line="162" />
            <source>&amp;Add folder…</source>
            <translation>폴더 추가(&amp;A)…</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/main_window.py" line="165" />
            <source>&amp;Models…</source>
            <translation>모델(&amp;M)…</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/main_window.py" line="166" />
            <source>&amp;Settings…</source>
            <translation>설정(&amp;S)…</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/main_window.py" line="170" />
            <source>&amp;Quit</source>
            <translation>끝내기(&amp;Q)</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/main_window.py" line="174" />
            <source>&amp;Help</source>
            <translation>도움말(&amp;H)</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/main_window.py" line="175" />
            <source>&amp;About Desktop Album</source>
            <translation>데스크톱 앨범 정보(&amp;A)</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/main_window.py" line="207" />
            <source>Add a folder of photos</source>
            <translation>사진 폴더 추가</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/main_window.py" line="214" />
            <source>Adding {folders} to the library…</source>
            <translation>라이브러리에 {folders} 폴더를 추가하는 중…</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/main_window.py" line="231" />
            <source>Remove from library</source>
            <translation>라이브러리에서 제거</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/main_window.py" line="233" />
            <source>Remove {folder} from the library? The photos stay on disk; only what Desktop Album learned about them is forgotten.</source>
            <translation>{folder}을(를) 라이브러리에서 제거할까요? 사진 파일은 디스크에 그대로 남고, Desktop Album이 사진에 대해 알아낸 정보만 지워집니다.</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/main_window.py" line="257" />
            <source>{count} new</source>
            <translation>새 사진 {count}장</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/main_window.py" line="258" />
            <source>{count} moved</source>
            <translation>이동 {count}장</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/main_window.py" line="259" />
            <source>{count} missing</source>
            <translation>없어짐 {count}장</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/main_window.py" line="260" />
            <source>{count} unreadable</source>
            <translation>읽을 수 없음 {count}장</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/main_window.py" line="264" />
            <source>{count} updated</source>
            <translation>갱신 {count}장</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/main_window.py" line="267" />
            <source>Library updated: {changes}.</source>
            <translation>라이브러리 갱신: {changes}.</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/main_window.py" line="281" />
            <source>Describe a photo, e.g. “a red circle” or “빨간 원” (Ctrl+F)</source>
            <translation>찾는 사진을 말로 설명해 보세요. 예: “빨간 원”, “a red circle” (Ctrl+F)</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/main_window.py" line="285" />
            <source>No model yet: browse your photos, or get one from File ▸ Models…</source>
            <translation>아직 모델이 없습니다. 사진은 둘러볼 수 있으며, 검색하려면 파일 ▸ 모델…에서 모델을 받으세요.</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/main_window.py" line="314" />
            <source>The settings could not be saved: {error}</source>
            <translation>설정을 저장하지 못했습니다: {error}</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/main_window.py" line="344" />
            <source>{count} photos, newest first</source>
            <translation>사진 {count}장, 최신순</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/main_window.py" line="346" />
            <source>Best matches for “{query}”</source>
            <translation>“{query}” 검색 결과</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/main_window.py" line="348" />
            <source>Photos like {name}</source>
            <translation>비슷한 사진: {name}</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/main_window.py" line="355" />
            <source>Drop a folder of photos here, or use File ▸ Add folder…</source>
            <translation>사진 폴더를 여기에 끌어다 놓거나, 파일 ▸ 폴더 추가…를 사용하세요.</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/main_window.py" line="357" />
            <source>No photos here yet.</source>
            <translation>아직 사진이 없습니다.</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/main_window.py" line="359" />
            <source>No photos match.</source>
            <translation>일치하는 사진이 없습니다.</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/main_window.py" line="383" />
            <source>Find similar</source>
            <translation>비슷한 사진 찾기</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/main_window.py" line="384" />
            <source>Open</source>
            <translation>열기</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/main_window.py" line="387" />
            <source>Show in folder</source>
            <translation>폴더에서 보기</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/main_window.py" line="392" />
            <source>Copy path</source>
            <translation>경로 복사</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/main_window.py" line="395" />
            <source>Copy image</source>
            <translation>이미지 복사</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/main_window.py" line="427" />
            <source>Only files and folders on this computer can be dropped.</source>
            <translation>이 컴퓨터에 있는 파일과 폴더만 끌어다 놓을 수 있습니다.</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/main_window.py" line="443" />
            <source>Not found (moved or deleted?): {names}</source>
            <translation>찾을 수 없습니다 (옮겨지거나 삭제되었나요?): {names}</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/main_window.py" line="445" />
            <source>Not a photo or a folder: {names}</source>
            <translation>사진이나 폴더가 아닙니다: {names}</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/main_window.py" line="447" />
            <source>Some items were skipped. {details}</source>
            <translation>일부 항목은 건너뛰었습니다. {details}</translation>
        </message>
    </context>
    <context>
        <name>ModelDialog</name>
        <message>
            <location filename="../../desktop_album/gui/model_dialog.py" line="70" />
            <source>Get a model</source>
            <translation>모델 받기</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/model_dialog.py" line="80" />
            <source>Desktop Album finds photos with a model that runs on this computer: your photos never leave it. Choose one to download, or use a model pack folder you already have. Until then you can browse your photos, but not search them.</source>
            <translation>데스크톱 앨범은 이 컴퓨터에서 실행되는 모델로 사진을 찾습니다. 사진은 컴퓨터 밖으로 나가지 않습니다. 내려받을 모델을 고르거나, 이미 가지고 있는 모델 팩 폴더를 사용하세요. 그전까지는 사진을 둘러볼 수는 있지만 검색할 수는 없습니다.</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/model_dialog.py" line="97" />
            <source>Download</source>
            <translation>내려받기</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/model_dialog.py" line="100" />
            <source>Cancel download</source>
            <translation>내려받기 취소</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/model_dialog.py" line="103" />
            <source>Use a pack folder…</source>
            <translation>모델 팩 폴더 사용…</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/model_dialog.py" line="105" />
            <source>Later</source>
            <translation>나중에</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/model_dialog.py" line="140" />
            <source>recommended</source>
            <translation>추천</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/model_dialog.py" line="135" />
            <source>Understands: {languages}</source>
            <translation>이해하는 언어: {languages}</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/model_dialog.py" line="136" />
            <source>License: {license}</source>
            <translation>라이선스: {license}</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/model_dialog.py" line="175" />
            <source>Connecting…</source>
            <translation>연결하는 중…</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/model_dialog.py" line="187" />
            <source>Cancelling…</source>
            <translation>취소하는 중…</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/model_dialog.py" line="202" />
            <source>Downloading {file}: {done} of {total}</source>
            <translation>{file} 내려받는 중: {done} / {total}</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/model_dialog.py" line="211" />
            <source>Download cancelled. Trying again resumes it.</source>
            <translation>내려받기를 취소했습니다. 다시 시도하면 이어서 받습니다.</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/model_dialog.py" line="215" />
            <source>The download failed: {error}</source>
            <translation>내려받지 못했습니다: {error}</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/model_dialog.py" line="220" />
            <source>Model {name} is installed.</source>
            <translation>{name} 모델을 설치했습니다.</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/model_dialog.py" line="227" />
            <source>Choose a model pack folder</source>
            <translation>모델 팩 폴더 선택</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/model_dialog.py" line="239" />
            <source>Checking the model pack…</source>
            <translation>모델 팩을 확인하는 중…</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/model_dialog.py" line="257" />
            <source>This folder cannot be used as a model pack: {error}</source>
            <translation>이 폴더는 모델 팩으로 사용할 수 없습니다: {error}</translation>
        </message>
    </context>
    <context>
        <name>PhotoDelegate</name>
        <message>
            <location filename="../../desktop_album/gui/delegate.py" line="43" />
            <source>offline</source>
            <translation>오프라인</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/delegate.py" line="44" />
            <source>unreadable</source>
            <translation>읽을 수 없음</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/delegate.py" line="45" />
            <source>missing?</source>
            <translation>사라짐?</translation>
        </message>
    </context>
    <context>
        <name>PhotoListModel</name>
        <message>
            <location filename="../../desktop_album/gui/photo_model.py" line="113" />
            <source>Score: {score}</source>
            <translation>점수: {score}</translation>
        </message>
    </context>
    <context>
        <name>PhotoViewer</name>
        <message>
            <location filename="../../desktop_album/gui/viewer.py" line="99" />
            <source>Previous</source>
            <translation>이전</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/viewer.py" line="100" />
            <source>Next</source>
            <translation>다음</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/viewer.py" line="108" />
            <source>Name</source>
            <translation>이름</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/viewer.py" line="109" />
            <source>Date</source>
            <translation>날짜</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/viewer.py" line="110" />
            <source>Camera</source>
            <translation>카메라</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/viewer.py" line="111" />
            <source>Size</source>
            <translation>크기</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/viewer.py" line="112" />
            <source>Path</source>
            <translation>경로</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/viewer.py" line="147" />
            <source>Loading…</source>
            <translation>불러오는 중…</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/viewer.py" line="167" />
            <source>This photo cannot be shown: {reason}</source>
            <translation>이 사진을 표시할 수 없습니다: {reason}</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/viewer.py" line="174" />
            <location filename="../../desktop_album/gui/viewer.py" line="175" />
            <source>unknown</source>
            <translation>알 수 없음</translation>
        </message>
    </context>
    <context>
        <name>SettingsDialog</name>
        <message>
            <location filename="../../desktop_album/gui/settings_dialog.py" line="53" />
            <source>Settings</source>
            <translation>설정</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/settings_dialog.py" line="57" />
            <source>Automatic (the installed model)</source>
            <translation>자동 (설치된 모델)</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/settings_dialog.py" line="63" />
            <location filename="../../desktop_album/gui/settings_dialog.py" line="71" />
            <source>Automatic</source>
            <translation>자동</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/settings_dialog.py" line="64" />
            <source>CPU</source>
            <translation>CPU</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/settings_dialog.py" line="65" />
            <source>CUDA (NVIDIA GPU)</source>
            <translation>CUDA (NVIDIA GPU)</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/settings_dialog.py" line="77" />
            <source>Add…</source>
            <translation>추가…</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/settings_dialog.py" line="79" />
            <source>Remove</source>
            <translation>제거</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/settings_dialog.py" line="95" />
            <source>Browse…</source>
            <translation>찾아보기…</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/settings_dialog.py" line="103" />
            <source>System default</source>
            <translation>시스템 기본값</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/settings_dialog.py" line="111" />
            <source>Model</source>
            <translation>모델</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/settings_dialog.py" line="112" />
            <source>Run the model on</source>
            <translation>모델 실행 장치</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/settings_dialog.py" line="113" />
            <source>Threads</source>
            <translation>스레드 수</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/settings_dialog.py" line="114" />
            <source>Folders to skip</source>
            <translation>제외할 폴더</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/settings_dialog.py" line="115" />
            <source>Thumbnail cache size</source>
            <translation>미리보기 캐시 크기</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/settings_dialog.py" line="116" />
            <source>Thumbnail cache folder</source>
            <translation>미리보기 캐시 폴더</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/settings_dialog.py" line="117" />
            <source>Language</source>
            <translation>언어</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/settings_dialog.py" line="118" />
            <source>A new language is used the next time the app starts.</source>
            <translation>바꾼 언어는 앱을 다시 시작하면 적용됩니다.</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/settings_dialog.py" line="139" />
            <source>Choose a folder to skip</source>
            <translation>제외할 폴더 선택</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/settings_dialog.py" line="148" />
            <source>Choose the thumbnail folder</source>
            <translation>미리보기 폴더 선택</translation>
        </message>
    </context>
    <context>
        <name>WindowDialogs</name>
        <message>
            <location filename="../../desktop_album/gui/dialogs.py" line="132" />
            <source>Some changes take effect when the app starts again.</source>
            <translation>일부 변경 사항은 앱을 다시 시작하면 적용됩니다.</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/dialogs.py" line="138" />
            <source>none</source>
            <translation>없음</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/dialogs.py" line="139" />
            <source>Desktop Album</source>
            <translation>데스크톱 앨범</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/dialogs.py" line="143" />
            <source>Find your photos by describing them. Everything stays on this computer.</source>
            <translation>말로 설명해서 사진을 찾으세요. 모든 것이 이 컴퓨터 안에서만 처리됩니다.</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/dialogs.py" line="146" />
            <source>Qt {qt} · PySide {pyside} · onnxruntime {ort}</source>
            <translation>Qt {qt} · PySide {pyside} · onnxruntime {ort}</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/dialogs.py" line="150" />
            <source>Model: {model}</source>
            <translation>모델: {model}</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/dialogs.py" line="153" />
            <source>see the model's documentation</source>
            <translation>모델 문서를 참고하세요</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/dialogs.py" line="154" />
            <source>Model license: {license}</source>
            <translation>모델 라이선스: {license}</translation>
        </message>
        <message>
            <location filename="../../desktop_album/gui/dialogs.py" line="159" />
            <source>About Desktop Album</source>
            <translation>데스크톱 앨범 정보</translation>
        </message>
    </context>
</TS>
