<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="ko" sourcelanguage="en">
<context>
    <name>AlbumList</name>
    <message>
        <location filename="../../desktop_album/gui/album_list.py" line="82" />
        <source>Favourites</source>
        <translation>즐겨찾기</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/album_list.py" line="92" />
        <source>Drop photos here to add them</source>
        <translation>사진을 여기에 끌어다 놓으면 추가됩니다</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/album_list.py" line="124" />
        <source>New album…</source>
        <translation>새 앨범…</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/album_list.py" line="129" />
        <source>Rename…</source>
        <translation>이름 바꾸기…</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/album_list.py" line="130" />
        <source>Export album…</source>
        <translation>앨범 내보내기…</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/album_list.py" line="131" />
        <source>Delete album…</source>
        <translation>앨범 삭제…</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/album_list.py" line="145" />
        <source>New album</source>
        <translation>새 앨범</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/album_list.py" line="151" />
        <source>Rename album</source>
        <translation>앨범 이름 바꾸기</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/album_list.py" line="156" />
        <source>Delete the album {name}? Its photos stay where they are.</source>
        <translation>{name} 앨범을 삭제할까요? 사진은 그대로 남습니다.</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/album_list.py" line="163" />
        <source>Export {name} to</source>
        <translation>{name} 내보낼 위치</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/album_list.py" line="208" />
        <source>Delete album</source>
        <translation>앨범 삭제</translation>
    </message>
</context>
<context>
    <name>Duplicates</name>
    <message>
        <location filename="../../desktop_album/gui/duplicate_words.py" line="22" />
        <source>Exact copies</source>
        <translation>완전히 같은 파일</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/duplicate_words.py" line="24" />
        <source>Near-duplicates</source>
        <translation>다시 저장된 사진</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/duplicate_words.py" line="25" />
        <source>Similar shots</source>
        <translation>비슷한 장면</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/duplicate_words.py" line="31" />
        <source>These files are identical, byte for byte: the same photo saved more than once.</source>
        <translation>바이트 하나까지 똑같은 파일입니다. 같은 사진이 여러 번 저장되었습니다.</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/duplicate_words.py" line="36" />
        <source>The same picture saved again: re-sent, resized, recompressed or slightly cropped.</source>
        <translation>같은 사진을 다시 저장한 것입니다. 다시 받았거나, 크기를 줄였거나, 다시 압축했거나, 조금 잘랐습니다.</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/duplicate_words.py" line="40" />
        <source>Different shots of the same scene, taken within minutes of each other.</source>
        <translation>같은 장면을 몇 분 안에 여러 번 찍은 서로 다른 사진입니다.</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/duplicate_words.py" line="48" />
        <source>Checked {count} photos for identical files.</source>
        <translation>사진 {count}장에서 똑같은 파일을 찾아보았습니다.</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/duplicate_words.py" line="52" />
        <source>Checked {count} photos for the same picture saved again.</source>
        <translation>사진 {count}장에서 다시 저장된 같은 사진을 찾아보았습니다.</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/duplicate_words.py" line="56" />
        <source>Checked {count} photos for shots of one scene taken within minutes.</source>
        <translation>사진 {count}장에서 몇 분 안에 찍은 같은 장면을 찾아보았습니다.</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/duplicate_words.py" line="64" />
        <source>largest resolution</source>
        <translation>가장 높은 해상도</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/duplicate_words.py" line="66" />
        <source>has camera data (EXIF)</source>
        <translation>카메라 정보(EXIF) 있음</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/duplicate_words.py" line="68" />
        <source>taken first</source>
        <translation>가장 먼저 찍음</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/duplicate_words.py" line="70" />
        <source>largest file</source>
        <translation>가장 큰 파일</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/duplicate_words.py" line="72" />
        <source>the original (the older file)</source>
        <translation>원본 (먼저 만든 파일)</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/duplicate_words.py" line="73" />
        <source>identical; shortest path</source>
        <translation>똑같음, 가장 짧은 경로</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/duplicate_words.py" line="84" />
        <source>No date</source>
        <translation>날짜 없음</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/duplicate_words.py" line="110" />
        <source>Size unknown</source>
        <translation>크기 모름</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/duplicate_words.py" line="122" />
        <source>{name}: its drive is not connected. Connect the drive, then try again.</source>
        <translation>{name}: 드라이브가 연결되어 있지 않습니다. 드라이브를 연결한 뒤 다시 해 보세요.</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/duplicate_words.py" line="127" />
        <source>{name}: its folder cannot be changed (read-only, or owned by someone else). Make the folder writable, then try again.</source>
        <translation>{name}: 폴더를 바꿀 수 없습니다(읽기 전용이거나 다른 사용자의 폴더). 폴더에 쓰기 권한을 준 뒤 다시 해 보세요.</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/duplicate_words.py" line="134" />
        <source>A photo is no longer in the library; nothing to do.</source>
        <translation>라이브러리에 이미 없는 사진입니다. 따로 할 일은 없습니다.</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/duplicate_words.py" line="137" />
        <source>{name}: it is no longer in its folder (moved or deleted elsewhere). The library follows at its next check.</source>
        <translation>{name}: 폴더에 더 이상 없습니다(다른 곳에서 옮기거나 지움). 다음 확인 때 라이브러리에 반영됩니다.</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/duplicate_words.py" line="143" />
        <source>{name}: left in place, because the photo kept in its group is not there now (deleted elsewhere, or its drive is unplugged). Look at the group again.</source>
        <translation>{name}: 그대로 두었습니다. 같은 묶음에서 보관하기로 한 사진이 지금 없습니다(다른 곳에서 지웠거나 드라이브가 빠짐). 묶음을 다시 확인해 보세요.</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/duplicate_words.py" line="149" />
        <source>{name}: the disk is full. Free some space, then try again.</source>
        <translation>{name}: 디스크가 가득 찼습니다. 공간을 비운 뒤 다시 해 보세요.</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/duplicate_words.py" line="153" />
        <source>{name}: {reason}</source>
        <translation>{name}: {reason}</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/duplicate_words.py" line="164" />
        <source>{failed} of {total} photos could not be moved to the trash. Nothing was lost: they are still in their folders and in the library.</source>
        <translation>사진 {total}장 중 {failed}장을 휴지통으로 옮기지 못했습니다. 잃은 것은 없습니다. 그 사진들은 원래 폴더와 라이브러리에 그대로 있습니다.</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/duplicate_words.py" line="171" />
        <source>…and {count} more.</source>
        <translation>…외 {count}장.</translation>
    </message>
</context>
<context>
    <name>DuplicatesView</name>
    <message>
        <location filename="../../desktop_album/gui/duplicates_view.py" line="115" />
        <source>&amp;Duplicates…</source>
        <translation>중복 사진(&amp;D)…</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/duplicates_view.py" line="128" />
        <source>← Back to photos</source>
        <translation>← 사진으로 돌아가기</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/duplicates_view.py" line="133" />
        <source>Duplicates</source>
        <translation>중복 사진</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/duplicates_view.py" line="159" />
        <source>Prepare them now</source>
        <translation>지금 준비하기</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/duplicates_view.py" line="163" />
        <source>Dismiss</source>
        <translation>닫기</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/duplicates_view.py" line="185" />
        <source>Select all</source>
        <translation>모두 선택</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/duplicates_view.py" line="188" />
        <source>Select none</source>
        <translation>선택 해제</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/duplicates_view.py" line="201" />
        <location filename="../../desktop_album/gui/duplicates_view.py" line="242" />
        <source>Looking for duplicates…</source>
        <translation>중복 사진을 찾는 중…</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/duplicates_view.py" line="289" />
        <source>{tier} ({count})</source>
        <translation>{tier} ({count})</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/duplicates_view.py" line="305" />
        <source>The duplicates could not be read: {error}</source>
        <translation>중복 사진을 읽지 못했습니다: {error}</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/duplicates_view.py" line="373" />
        <source>Show {count} more groups</source>
        <translation>묶음 {count}개 더 보기</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/duplicates_view.py" line="397" />
        <source>Similar shots are found by a model, and none is installed. Get one from File ▸ Models…</source>
        <translation>비슷한 장면은 모델이 찾는데, 설치된 모델이 없습니다. 파일 ▸ 모델…에서 받으세요.</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/duplicates_view.py" line="401" />
        <source>No duplicates found so far</source>
        <translation>아직까지는 중복 사진이 없습니다</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/duplicates_view.py" line="403" />
        <source>No duplicates found</source>
        <translation>중복 사진이 없습니다</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/duplicates_view.py" line="432" />
        <source>{count} photos are not indexed yet: that needs a model (File ▸ Models…). Duplicates among them are not shown.</source>
        <translation>사진 {count}장은 아직 색인되지 않았습니다. 색인하려면 모델이 필요합니다(파일 ▸ 모델…). 그 사진들 사이의 중복은 보이지 않습니다.</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/duplicates_view.py" line="439" />
        <source>{count} photos are still being prepared; near-duplicates may be incomplete.</source>
        <translation>사진 {count}장을 아직 준비하는 중입니다. 다시 저장된 사진이 모두 보이지 않을 수 있습니다.</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/duplicates_view.py" line="445" />
        <source>No model is installed: near-duplicates are found by their perceptual hash alone, and similar shots need a model.</source>
        <translation>설치된 모델이 없습니다. 다시 저장된 사진은 지각 해시만으로 찾으며, 비슷한 장면을 찾으려면 모델이 필요합니다.</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/duplicates_view.py" line="508" />
        <source>{selected} of {count} groups selected</source>
        <translation>묶음 {count}개 중 {selected}개 선택됨</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/duplicates_view.py" line="516" />
        <source>Move {count} others to trash…</source>
        <translation>나머지 {count}장 휴지통으로 이동…</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/duplicates_view.py" line="519" />
        <source>Move others to trash…</source>
        <translation>나머지를 휴지통으로 이동…</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/duplicates_view.py" line="523" />
        <source>The library cannot be written, so no file can be moved from here.</source>
        <translation>라이브러리에 쓸 수 없어서 여기에서는 파일을 옮길 수 없습니다.</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/duplicates_view.py" line="535" />
        <source>Move {count} photos to the trash? That frees {size}. The photo marked Keep in each of the {groups} selected groups stays where it is. The others leave the library; you can restore them from the trash.</source>
        <translation>사진 {count}장을 휴지통으로 옮길까요? 확보되는 공간: {size}. 선택한 묶음 {groups}개마다 '보관'으로 표시한 사진은 그대로 둡니다. 나머지는 라이브러리에서 빠지며, 휴지통에서 되살릴 수 있습니다.</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/duplicates_view.py" line="539" />
        <source>Move duplicates to the trash</source>
        <translation>중복 사진을 휴지통으로 이동</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/duplicates_view.py" line="545" />
        <source>Moving {count} photos to the trash…</source>
        <translation>사진 {count}장을 휴지통으로 옮기는 중…</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/duplicates_view.py" line="552" />
        <source>Preparing photos…</source>
        <translation>사진을 준비하는 중…</translation>
    </message>
</context>
<context>
    <name>ErrorWords</name>
    <message>
        <location filename="../../desktop_album/gui/error_words.py" line="21" />
        <source>The disk is full. Indexing stopped; what was saved is kept. Free some space and indexing resumes by itself.</source>
        <translation>디스크가 가득 찼습니다. 색인을 멈췄고 저장된 내용은 그대로 있습니다. 공간을 확보하면 색인이 저절로 이어집니다.</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/error_words.py" line="27" />
        <source>The library cannot be written (it or its folder is read-only). Browsing and search still work; make it writable to index new photos.</source>
        <translation>라이브러리에 쓸 수 없습니다(파일이나 폴더가 읽기 전용). 둘러보기와 검색은 됩니다. 새 사진을 색인하려면 쓰기 권한을 주세요.</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/error_words.py" line="33" />
        <source>Permission denied: {path}. Check who owns it, or choose another place.</source>
        <translation>권한이 없습니다: {path}. 소유자를 확인하거나 다른 위치를 고르세요.</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/error_words.py" line="37" />
        <source>The library file is damaged or is not a Desktop Album library. It was not changed.</source>
        <translation>라이브러리 파일이 손상되었거나 데스크톱 앨범 라이브러리가 아닙니다. 파일은 바꾸지 않았습니다.</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/error_words.py" line="42" />
        <source>The library was made by a newer Desktop Album. Update the app; the file was not changed.</source>
        <translation>더 새로운 데스크톱 앨범으로 만든 라이브러리입니다. 앱을 업데이트하세요. 파일은 바꾸지 않았습니다.</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/error_words.py" line="48" />
        <source>No model is installed yet. Get one from File ▸ Models….</source>
        <translation>아직 설치된 모델이 없습니다. 파일 ▸ 모델…에서 받으세요.</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/error_words.py" line="52" />
        <source>Folder not found: {path}</source>
        <translation>폴더를 찾을 수 없습니다: {path}</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/error_words.py" line="56" />
        <source>Something went wrong inside Desktop Album (a bug): {detail}. What was saved is kept.</source>
        <translation>데스크톱 앨범 내부에서 문제가 생겼습니다(버그): {detail}. 저장된 내용은 그대로 있습니다.</translation>
    </message>
</context>
<context>
    <name>FolderTree</name>
    <message>
        <location filename="../../desktop_album/gui/folder_tree.py" line="81" />
        <source>{folder} (offline)</source>
        <translation>{folder} (오프라인)</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/folder_tree.py" line="89" />
        <source>Offline: the folder cannot be reached (unplugged drive?).</source>
        <translation>오프라인: 폴더에 연결할 수 없습니다(드라이브가 분리되었나요?).</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/folder_tree.py" line="118" />
        <source>{count} unreadable</source>
        <translation>읽을 수 없음 {count}개</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/folder_tree.py" line="123" />
        <source>Photos that could not be read. Right-click to retry.</source>
        <translation>읽지 못한 사진입니다. 마우스 오른쪽 버튼을 눌러 다시 시도하세요.</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/folder_tree.py" line="140" />
        <source>1 photo</source>
        <translation>사진 1장</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/folder_tree.py" line="140" />
        <source>{count} photos</source>
        <translation>사진 {count}장</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/folder_tree.py" line="210" />
        <source>Retry all</source>
        <translation>모두 다시 시도</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/folder_tree.py" line="214" />
        <source>Retry</source>
        <translation>다시 시도</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/folder_tree.py" line="216" />
        <source>Retry {count} files</source>
        <translation>파일 {count}개 다시 시도</translation>
    </message>
</context>
<context>
    <name>GroupCard</name>
    <message>
        <location filename="../../desktop_album/gui/duplicate_cards.py" line="247" />
        <source>{count} photos · {size} to free</source>
        <translation>사진 {count}장 · {size} 비울 수 있음</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/duplicate_cards.py" line="252" />
        <source>Suggested: {reason}</source>
        <translation>추천: {reason}</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/duplicate_cards.py" line="256" />
        <source>Your choice</source>
        <translation>직접 고름</translation>
    </message>
</context>
<context>
    <name>IndexController</name>
    <message>
        <location filename="../../desktop_album/gui/index_controller.py" line="274" />
        <source>{folder} is offline (unplugged drive?). Its photos are kept.</source>
        <translation>{folder}에 연결할 수 없습니다(드라이브가 분리되었나요?). 사진은 그대로 남아 있습니다.</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/index_controller.py" line="278" />
        <source>{folder} is back online.</source>
        <translation>{folder}에 다시 연결되었습니다.</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/index_controller.py" line="283" />
        <source>Space is available again: indexing resumed.</source>
        <translation>저장 공간이 다시 생겨 색인을 이어서 합니다.</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/index_controller.py" line="345" />
        <source>Too many folders to watch (the system's limit was reached): {path} is checked by polling, so changes may take a minute to appear.</source>
        <translation>지켜볼 폴더가 너무 많습니다(시스템 한도에 도달). {path}은(는) 주기적으로 확인하므로 변경이 나타나기까지 1분쯤 걸릴 수 있습니다.</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/index_controller.py" line="350" />
        <source>{path} is on a network drive: it is checked by polling, so changes may take a minute to appear.</source>
        <translation>{path}은(는) 네트워크 드라이브에 있어 주기적으로 확인합니다. 변경이 나타나기까지 1분쯤 걸릴 수 있습니다.</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/index_controller.py" line="354" />
        <source>{path} cannot be watched ({error}): changes show up when it is scanned again.</source>
        <translation>{path}을(를) 지켜볼 수 없습니다({error}). 다시 검사할 때 변경이 반영됩니다.</translation>
    </message>
</context>
<context>
    <name>IndexStatus</name>
    <message>
        <location filename="../../desktop_album/gui/status_panel.py" line="37" />
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/status_panel.py" line="54" />
        <source>Indexing is off</source>
        <translation>색인 꺼짐</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/status_panel.py" line="75" />
        <location filename="../../desktop_album/gui/status_panel.py" line="92" />
        <source>Looking for photos…</source>
        <translation>사진을 찾는 중…</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/status_panel.py" line="80" />
        <source>Resume</source>
        <translation>계속</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/status_panel.py" line="80" />
        <source>Pause</source>
        <translation>일시 정지</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/status_panel.py" line="82" />
        <source>Indexing paused</source>
        <translation>색인 일시 정지됨</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/status_panel.py" line="99" />
        <source>Indexing {done} of {total}</source>
        <translation>색인 중 {done}/{total}</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/status_panel.py" line="101" />
        <source>{rate} photos/s</source>
        <translation>초당 {rate}장</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/status_panel.py" line="109" />
        <source>Indexing stopped. It continues where it left off next time.</source>
        <translation>색인을 멈췄습니다. 다음에 멈춘 곳부터 이어서 합니다.</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/status_panel.py" line="113" />
        <source>Folders scanned. Photos will be searchable once a model is installed.</source>
        <translation>폴더를 살펴봤습니다. 모델을 설치하면 사진을 검색할 수 있습니다.</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/status_panel.py" line="117" />
        <source>Indexing finished: {count} new photos in {seconds} s.</source>
        <translation>색인 완료: 새 사진 {count}장 ({seconds}초).</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/status_panel.py" line="121" />
        <source>{count} photos prepared for {model} in {seconds} s.</source>
        <translation>사진 {count}장을 {model} 모델용으로 준비했습니다({seconds}초).</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/status_panel.py" line="122" />
        <source>the model</source>
        <translation>모델</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/status_panel.py" line="125" />
        <source>Library updated: {moved} moved, {missing} missing.</source>
        <translation>라이브러리 갱신: 이동 {moved}장, 사라짐 {missing}장.</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/status_panel.py" line="129" />
        <source>Up to date: no new photos.</source>
        <translation>최신 상태입니다: 새 사진이 없습니다.</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/status_panel.py" line="133" />
        <source>{count} could not be read.</source>
        <translation>{count}장은 읽을 수 없었습니다.</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/status_panel.py" line="137" />
        <source>{count} folders are offline.</source>
        <translation>폴더 {count}개에 연결할 수 없습니다.</translation>
    </message>
</context>
<context>
    <name>InfoPanel</name>
    <message>
        <location filename="../../desktop_album/gui/info_panel.py" line="68" />
        <source>Date</source>
        <translation>날짜</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/info_panel.py" line="69" />
        <source>Camera</source>
        <translation>카메라</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/info_panel.py" line="70" />
        <source>Lens</source>
        <translation>렌즈</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/info_panel.py" line="71" />
        <source>Exposure</source>
        <translation>노출</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/info_panel.py" line="72" />
        <source>Location</source>
        <translation>위치</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/info_panel.py" line="73" />
        <source>Dimensions</source>
        <translation>크기(픽셀)</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/info_panel.py" line="74" />
        <source>File size</source>
        <translation>파일 크기</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/info_panel.py" line="75" />
        <source>Path</source>
        <translation>경로</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/info_panel.py" line="91" />
        <source>Things</source>
        <translation>사물</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/info_panel.py" line="106" />
        <source>No photo selected</source>
        <translation>선택한 사진 없음</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/info_panel.py" line="117" />
        <source>Reading details…</source>
        <translation>정보를 읽는 중…</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/info_panel.py" line="144" />
        <source>The details cannot be read: {reason}</source>
        <translation>정보를 읽을 수 없습니다: {reason}</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/info_panel.py" line="195" />
        <source>{date} (from the camera)</source>
        <translation>{date} (카메라 기록)</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/info_panel.py" line="197" />
        <source>{date} (file modified)</source>
        <translation>{date} (파일 수정 시각)</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/info_panel.py" line="202" />
        <source>Indexed: searchable</source>
        <translation>색인됨: 검색 가능</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/info_panel.py" line="204" />
        <source>Unreadable: {reason}</source>
        <translation>읽을 수 없음: {reason}</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/info_panel.py" line="205" />
        <source>unknown error</source>
        <translation>알 수 없는 오류</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/info_panel.py" line="208" />
        <source>On an offline drive: connect it to see the photo</source>
        <translation>오프라인 드라이브에 있음: 사진을 보려면 드라이브를 연결하세요</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/info_panel.py" line="210" />
        <source>The file is no longer in its folder</source>
        <translation>파일이 더 이상 폴더에 없습니다</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/info_panel.py" line="211" />
        <source>Waiting to be indexed</source>
        <translation>색인 대기 중</translation>
    </message>
</context>
<context>
    <name>InstalledPacks</name>
    <message>
        <location filename="../../desktop_album/gui/installed_packs.py" line="70" />
        <source>Use this model</source>
        <translation>이 모델 사용</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/installed_packs.py" line="73" />
        <source>Remove</source>
        <translation>제거</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/installed_packs.py" line="82" />
        <source>Installed models</source>
        <translation>설치된 모델</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/installed_packs.py" line="109" />
        <source>{name} (in use)</source>
        <translation>{name} (사용 중)</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/installed_packs.py" line="111" />
        <source>{name} (broken: {problem})</source>
        <translation>{name} (손상됨: {problem})</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/installed_packs.py" line="123" />
        <source>The model could not be removed: {error}</source>
        <translation>모델을 지우지 못했습니다: {error}</translation>
    </message>
</context>
<context>
    <name>LibraryActions</name>
    <message>
        <location filename="../../desktop_album/gui/library_actions.py" line="97" />
        <source>Folders</source>
        <translation>폴더</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/library_actions.py" line="98" />
        <source>Albums</source>
        <translation>앨범</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/library_actions.py" line="114" />
        <source>Photo &amp;info</source>
        <translation>사진 정보(&amp;I)</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/library_actions.py" line="174" />
        <source>{count} paths copied.</source>
        <translation>경로 {count}개를 복사했습니다.</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/library_actions.py" line="211" />
        <source>The folders and albums cannot be read: {error}</source>
        <translation>폴더와 앨범을 읽을 수 없습니다: {error}</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/library_actions.py" line="273" />
        <source>{count} selected photos</source>
        <translation>선택한 사진 {count}장</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/library_actions.py" line="332" />
        <source>Trying the unreadable photos again…</source>
        <translation>읽지 못한 사진을 다시 읽는 중…</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/library_actions.py" line="351" />
        <source>Trying {name} again…</source>
        <translation>{name}을(를) 다시 읽는 중…</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/library_actions.py" line="353" />
        <source>Trying {count} unreadable photos again…</source>
        <translation>읽지 못한 사진 {count}장을 다시 읽는 중…</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/library_actions.py" line="400" />
        <source>{count} photos copied.</source>
        <translation>사진 {count}장을 복사했습니다.</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/library_actions.py" line="401" />
        <source>{count} photos moved.</source>
        <translation>사진 {count}장을 옮겼습니다.</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/library_actions.py" line="402" />
        <source>{count} photos moved to the trash.</source>
        <translation>사진 {count}장을 휴지통으로 옮겼습니다.</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/library_actions.py" line="403" />
        <source>{count} photos exported.</source>
        <translation>사진 {count}장을 내보냈습니다.</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/library_actions.py" line="405" />
        <source>{count} photos done.</source>
        <translation>사진 {count}장을 처리했습니다.</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/library_actions.py" line="410" />
        <source>{count} failed: {names}</source>
        <translation>{count}장 실패: {names}</translation>
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
        <location filename="../../desktop_album/gui/sidebar.py" line="97" />
        <source>All photos</source>
        <translation>모든 사진</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/sidebar.py" line="103" />
        <source>{folder} (offline)</source>
        <translation>{folder} (오프라인)</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/sidebar.py" line="107" />
        <source>Offline: the folder cannot be reached (unplugged drive?).</source>
        <translation>오프라인: 폴더에 연결할 수 없습니다 (드라이브가 분리되었나요?).</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/sidebar.py" line="108" />
        <source>Its photos stay in the library and can still be searched.</source>
        <translation>사진은 라이브러리에 남아 있고 계속 검색할 수 있습니다.</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/sidebar.py" line="115" />
        <source>Indexing…</source>
        <translation>색인 중…</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/sidebar.py" line="152" />
        <source>1 photo</source>
        <translation>사진 1장</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/sidebar.py" line="152" />
        <source>{count} photos</source>
        <translation>사진 {count}장</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/sidebar.py" line="185" />
        <source>Scan again</source>
        <translation>다시 검사</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/sidebar.py" line="187" />
        <source>Remove from library</source>
        <translation>라이브러리에서 제거</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../desktop_album/gui/main_window.py" line="373" />
        <source>Loading the model…</source>
        <translation>모델을 불러오는 중…</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/main_window.py" line="119" />
        <source>Desktop Album</source>
        <translation>데스크톱 앨범</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/main_window.py" line="213" />
        <source>&amp;File</source>
        <translation>파일(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/main_window.py" line="214" />
        <source>&amp;Add folder…</source>
        <translation>폴더 추가(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/main_window.py" line="217" />
        <source>&amp;Models…</source>
        <translation>모델(&amp;M)…</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/main_window.py" line="218" />
        <source>&amp;Settings…</source>
        <translation>설정(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/main_window.py" line="222" />
        <source>&amp;Quit</source>
        <translation>끝내기(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/main_window.py" line="226" />
        <source>&amp;View</source>
        <translation>보기(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/main_window.py" line="232" />
        <source>&amp;Help</source>
        <translation>도움말(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/main_window.py" line="233" />
        <source>&amp;About Desktop Album</source>
        <translation>데스크톱 앨범 정보(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/main_window.py" line="269" />
        <source>Add a folder of photos</source>
        <translation>사진 폴더 추가</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/main_window.py" line="276" />
        <source>Adding {folders} to the library…</source>
        <translation>라이브러리에 {folders} 폴더를 추가하는 중…</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/main_window.py" line="312" />
        <source>Remove from library</source>
        <translation>라이브러리에서 제거</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/main_window.py" line="314" />
        <source>Remove {folder} from the library? The photos stay on disk; only what Desktop Album learned about them is forgotten.</source>
        <translation>{folder}을(를) 라이브러리에서 제거할까요? 사진 파일은 디스크에 그대로 남고, Desktop Album이 사진에 대해 알아낸 정보만 지워집니다.</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/main_window.py" line="349" />
        <source>{count} new</source>
        <translation>새 사진 {count}장</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/main_window.py" line="350" />
        <source>{count} moved</source>
        <translation>이동 {count}장</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/main_window.py" line="351" />
        <source>{count} missing</source>
        <translation>없어짐 {count}장</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/main_window.py" line="352" />
        <source>{count} unreadable</source>
        <translation>읽을 수 없음 {count}장</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/main_window.py" line="356" />
        <source>{count} updated</source>
        <translation>갱신 {count}장</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/main_window.py" line="359" />
        <source>Library updated: {changes}.</source>
        <translation>라이브러리 갱신: {changes}.</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/main_window.py" line="371" />
        <source>Describe a photo, e.g. “a red circle” or “빨간 원” (Ctrl+F)</source>
        <translation>찾는 사진을 말로 설명해 보세요. 예: “빨간 원”, “a red circle” (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/main_window.py" line="375" />
        <source>No model yet: browse your photos, or get one from File ▸ Models…</source>
        <translation>아직 모델이 없습니다. 사진은 둘러볼 수 있으며, 검색하려면 파일 ▸ 모델…에서 모델을 받으세요.</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/main_window.py" line="443" />
        <source>The settings could not be saved: {error}</source>
        <translation>설정을 저장하지 못했습니다: {error}</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/main_window.py" line="496" />
        <source>{count} photos, oldest first</source>
        <translation>사진 {count}장, 오래된 순</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/main_window.py" line="498" />
        <source>{count} photos by name</source>
        <translation>사진 {count}장, 이름순</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/main_window.py" line="500" />
        <source>{count} photos, last modified first</source>
        <translation>사진 {count}장, 최근 수정한 순</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/main_window.py" line="502" />
        <source>{count} photos by folder</source>
        <translation>사진 {count}장, 폴더순</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/main_window.py" line="503" />
        <source>{count} photos, newest first</source>
        <translation>사진 {count}장, 최신순</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/main_window.py" line="505" />
        <source>No good matches for “{query}”. The closest photos:</source>
        <translation>“{query}”에 잘 맞는 사진이 없습니다. 가장 가까운 사진:</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/main_window.py" line="509" />
        <source>No photos to search here.</source>
        <translation>여기에는 검색할 사진이 없습니다.</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/main_window.py" line="512" />
        <source>No thing called {names}.</source>
        <translation>{names}(이)라는 사물이 없습니다.</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/main_window.py" line="515" />
        <source>Your photos are not sorted into things yet; this happens after indexing.</source>
        <translation>아직 사진이 사물별로 분류되지 않았습니다. 색인이 끝나면 분류됩니다.</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/main_window.py" line="518" />
        <source>{count} matches for “{query}”</source>
        <translation>“{query}” 검색 결과 {count}장</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/main_window.py" line="520" />
        <source>{count} photos</source>
        <translation>사진 {count}장</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/main_window.py" line="522" />
        <source>Photos like {name}</source>
        <translation>비슷한 사진: {name}</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/main_window.py" line="529" />
        <source>Drop a folder of photos here, or use File ▸ Add folder…</source>
        <translation>사진 폴더를 여기에 끌어다 놓거나, 파일 ▸ 폴더 추가…를 사용하세요.</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/main_window.py" line="531" />
        <source>No photos here yet.</source>
        <translation>아직 사진이 없습니다.</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/main_window.py" line="533" />
        <source>No photos match.</source>
        <translation>일치하는 사진이 없습니다.</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/main_window.py" line="563" />
        <source>Find similar</source>
        <translation>비슷한 사진 찾기</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/main_window.py" line="564" />
        <source>Open</source>
        <translation>열기</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/main_window.py" line="567" />
        <source>Show in folder</source>
        <translation>폴더에서 보기</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/main_window.py" line="572" />
        <source>Copy path</source>
        <translation>경로 복사</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/main_window.py" line="575" />
        <source>Copy image</source>
        <translation>이미지 복사</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/main_window.py" line="607" />
        <source>Only files and folders on this computer can be dropped.</source>
        <translation>이 컴퓨터에 있는 파일과 폴더만 끌어다 놓을 수 있습니다.</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/main_window.py" line="623" />
        <source>Not found (moved or deleted?): {names}</source>
        <translation>찾을 수 없습니다 (옮겨지거나 삭제되었나요?): {names}</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/main_window.py" line="625" />
        <source>Not a photo or a folder: {names}</source>
        <translation>사진이나 폴더가 아닙니다: {names}</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/main_window.py" line="627" />
        <source>Some items were skipped. {details}</source>
        <translation>일부 항목은 건너뛰었습니다. {details}</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/main_window.py" line="657" />
        <source>The library is damaged</source>
        <translation>라이브러리가 손상되었습니다</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/main_window.py" line="661" />
        <source>Start a new library? The damaged file is kept, renamed beside it, so nothing is lost. Your photos are not touched; add their folders again to index them.</source>
        <translation>새 라이브러리를 시작할까요? 손상된 파일은 이름을 바꿔 같은 곳에 남겨 두므로 잃는 것은 없습니다. 사진 파일은 건드리지 않습니다. 폴더를 다시 추가하면 색인합니다.</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/main_window.py" line="665" />
        <source>Start a new library</source>
        <translation>새 라이브러리 시작</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/main_window.py" line="667" />
        <source>Not now</source>
        <translation>나중에</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/main_window.py" line="688" />
        <source>A new library was started. The damaged one is kept as {file}.</source>
        <translation>새 라이브러리를 시작했습니다. 손상된 라이브러리는 {file}(으)로 남겨 두었습니다.</translation>
    </message>
</context>
<context>
    <name>ModelDialog</name>
    <message>
        <location filename="../../desktop_album/gui/model_dialog.py" line="78" />
        <source>Get a model</source>
        <translation>모델 받기</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/model_dialog.py" line="91" />
        <source>Desktop Album finds photos with a model that runs on this computer: your photos never leave it. Choose one to download, or use a model pack folder you already have. Until then you can browse your photos, but not search them.</source>
        <translation>데스크톱 앨범은 이 컴퓨터에서 실행되는 모델로 사진을 찾습니다. 사진은 컴퓨터 밖으로 나가지 않습니다. 내려받을 모델을 고르거나, 이미 가지고 있는 모델 팩 폴더를 사용하세요. 그전까지는 사진을 둘러볼 수는 있지만 검색할 수는 없습니다.</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/model_dialog.py" line="111" />
        <source>Download</source>
        <translation>내려받기</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/model_dialog.py" line="114" />
        <source>Cancel download</source>
        <translation>내려받기 취소</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/model_dialog.py" line="117" />
        <source>Use a pack folder…</source>
        <translation>모델 팩 폴더 사용…</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/model_dialog.py" line="119" />
        <source>Later</source>
        <translation>나중에</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/model_dialog.py" line="149" />
        <source>recommended</source>
        <translation>추천</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/model_dialog.py" line="163" />
        <source>Understands: {languages}</source>
        <translation>이해하는 언어: {languages}</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/model_dialog.py" line="166" />
        <source>License: {license}</source>
        <translation>라이선스: {license}</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/model_dialog.py" line="239" />
        <source>Connecting…</source>
        <translation>연결하는 중…</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/model_dialog.py" line="253" />
        <source>Cancelling…</source>
        <translation>취소하는 중…</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/model_dialog.py" line="268" />
        <source>Downloading {file}: {done} of {total}</source>
        <translation>{file} 내려받는 중: {done} / {total}</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/model_dialog.py" line="277" />
        <source>Download cancelled. Trying again resumes it.</source>
        <translation>내려받기를 취소했습니다. 다시 시도하면 이어서 받습니다.</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/model_dialog.py" line="290" />
        <source>The download failed: {error}</source>
        <translation>내려받지 못했습니다: {error}</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/model_dialog.py" line="295" />
        <source>Model {name} is installed.</source>
        <translation>{name} 모델을 설치했습니다.</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/model_dialog.py" line="302" />
        <source>Choose a model pack folder</source>
        <translation>모델 팩 폴더 선택</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/model_dialog.py" line="314" />
        <source>Checking the model pack…</source>
        <translation>모델 팩을 확인하는 중…</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/model_dialog.py" line="332" />
        <source>This folder cannot be used as a model pack: {error}</source>
        <translation>이 폴더는 모델 팩으로 사용할 수 없습니다: {error}</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/model_dialog.py" line="168" />
        <source>Recall (immich's test): English {en}, Korean {ko}</source>
        <translation>재현율(immich 시험): 영어 {en}, 한국어 {ko}</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/model_dialog.py" line="171" />
        <source>Memory: about {memory}</source>
        <translation>메모리: 약 {memory}</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/model_dialog.py" line="172" />
        <source>Time per photo: {times}</source>
        <translation>사진당 시간: {times}</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/model_dialog.py" line="179" />
        <source>Recommended for searching in English: {title}, the fastest and smallest model ({en} recall in immich's English test). To search in Korean or another language, choose a multilingual model.</source>
        <translation>영어 검색에 추천: {title}. 가장 빠르고 작은 모델입니다(immich 영어 시험 재현율 {en}). 한국어나 다른 언어로 검색하려면 다국어 모델을 고르세요.</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/model_dialog.py" line="184" />
        <source>Recommended for you: {title}. It understands {count} languages, Korean included. In immich's published test its recall is {ko} for Korean queries and {en} for English ones: the best of the models that run well without a graphics card ({times} time per photo, about {memory} of memory).</source>
        <translation>추천 모델: {title}. 한국어를 포함해 {count}개 언어를 이해합니다. immich가 공개한 시험에서 재현율은 한국어 검색 {ko}, 영어 검색 {en}로, 그래픽 카드 없이도 잘 돌아가는 모델 중 가장 좋습니다(사진당 시간은 {times}, 메모리 약 {memory}).</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/model_dialog.py" line="200" />
        <location filename="../../desktop_album/gui/model_dialog.py" line="205" />
        <location filename="../../desktop_album/gui/model_dialog.py" line="211" />
        <source>not published</source>
        <translation>공개되지 않음</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/model_dialog.py" line="212" />
        <source>{times}× the default model's</source>
        <translation>기본 모델의 {times}배</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/model_dialog.py" line="283" />
        <source>Not enough disk space: {name} needs {needed} more, and {free} is free. Free some space and try again; what was fetched is kept.</source>
        <translation>디스크 공간이 부족합니다: {name}에 {needed}가 더 필요한데 남은 공간은 {free}입니다. 공간을 확보한 뒤 다시 시도하세요. 이미 받은 부분은 남겨 둡니다.</translation>
    </message>
</context>
<context>
    <name>PhotoCard</name>
    <message>
        <location filename="../../desktop_album/gui/duplicate_cards.py" line="149" />
        <source>Keep this one instead</source>
        <translation>대신 이 사진 보관</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/duplicate_cards.py" line="155" />
        <source>Keep</source>
        <translation>보관</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/duplicate_cards.py" line="158" />
        <source>To trash</source>
        <translation>휴지통으로</translation>
    </message>
</context>
<context>
    <name>PhotoDelegate</name>
    <message>
        <location filename="../../desktop_album/gui/delegate.py" line="44" />
        <source>offline</source>
        <translation>오프라인</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/delegate.py" line="45" />
        <source>unreadable</source>
        <translation>읽을 수 없음</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/delegate.py" line="46" />
        <source>missing?</source>
        <translation>사라짐?</translation>
    </message>
</context>
<context>
    <name>PhotoListModel</name>
    <message>
        <location filename="../../desktop_album/gui/photo_model.py" line="161" />
        <source>No date</source>
        <translation>날짜 없음</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/photo_model.py" line="303" />
        <source>Score: {score}</source>
        <translation>점수: {score}</translation>
    </message>
</context>
<context>
    <name>PhotoViewer</name>
    <message>
        <location filename="../../desktop_album/gui/viewer.py" line="263" />
        <source>Previous</source>
        <translation>이전</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/viewer.py" line="264" />
        <source>Next</source>
        <translation>다음</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/viewer.py" line="360" />
        <source>Loading…</source>
        <translation>불러오는 중…</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/viewer.py" line="380" />
        <source>This photo cannot be shown: {reason}</source>
        <translation>이 사진을 표시할 수 없습니다: {reason}</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/viewer.py" line="265" />
        <location filename="../../desktop_album/gui/viewer.py" line="322" />
        <source>Slideshow</source>
        <translation>슬라이드 쇼</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/viewer.py" line="325" />
        <source>Stop slideshow</source>
        <translation>슬라이드 쇼 멈춤</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/viewer.py" line="352" />
        <source>This photo is on an offline drive. Connect the drive to see it in full.</source>
        <translation>이 사진은 오프라인 드라이브에 있습니다. 원본을 보려면 드라이브를 연결하세요.</translation>
    </message>
</context>
<context>
    <name>SearchOptionsBar</name>
    <message>
        <location filename="../../desktop_album/gui/search_options.py" line="50" />
        <source>Show more</source>
        <translation>더 보기</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/search_options.py" line="55" />
        <source>Order:</source>
        <translation>정렬:</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/search_options.py" line="61" />
        <source>Best match</source>
        <translation>관련도순</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/search_options.py" line="62" />
        <source>Newest first</source>
        <translation>최신순</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/search_options.py" line="63" />
        <source>Oldest first</source>
        <translation>오래된 순</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/search_options.py" line="64" />
        <source>Name</source>
        <translation>이름순</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/search_options.py" line="65" />
        <source>Date modified</source>
        <translation>수정한 날짜순</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/search_options.py" line="66" />
        <source>Folder</source>
        <translation>폴더순</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/search_options.py" line="72" />
        <source>Best match applies to a search; without one, photos are shown newest first</source>
        <translation>관련도순은 검색할 때 적용되며, 검색어가 없으면 최신순으로 보여 줍니다</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/search_options.py" line="78" />
        <source>Matches:</source>
        <translation>일치 정도:</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/search_options.py" line="82" />
        <source>Looser</source>
        <translation>느슨하게</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/search_options.py" line="82" />
        <source>Normal</source>
        <translation>보통</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/search_options.py" line="82" />
        <source>Stricter</source>
        <translation>엄격하게</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/search_options.py" line="87" />
        <source>How closely a photo must match to be shown (looser shows more)</source>
        <translation>사진이 얼마나 잘 맞아야 보여 줄지 정합니다(느슨하게 하면 더 많이 보입니다)</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/search_options.py" line="123" />
        <source>Remove this filter</source>
        <translation>이 조건 지우기</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/search_options.py" line="131" />
        <source>Date: {phrase}</source>
        <translation>날짜: {phrase}</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/search_options.py" line="133" />
        <source>Not: {term}</source>
        <translation>제외: {term}</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/search_options.py" line="137" />
        <source>Album: {name}</source>
        <translation>앨범: {name}</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/search_options.py" line="139" />
        <source>Favourites</source>
        <translation>즐겨찾기</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/search_options.py" line="142" />
        <source>In: {folder}</source>
        <translation>폴더: {folder}</translation>
    </message>
</context>
<context>
    <name>SearchScope</name>
    <message>
        <location filename="../../desktop_album/gui/search_scope.py" line="60" />
        <source>Things</source>
        <translation>사물</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/search_scope.py" line="92" />
        <source>Favourites</source>
        <translation>즐겨찾기</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/search_scope.py" line="175" />
        <source>The things cannot be read: {error}</source>
        <translation>사물 목록을 읽을 수 없습니다: {error}</translation>
    </message>
</context>
<context>
    <name>SelectionActions</name>
    <message>
        <location filename="../../desktop_album/gui/photo_actions.py" line="150" />
        <source>New album</source>
        <translation>새 앨범</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/photo_actions.py" line="151" />
        <source>Name of the new album:</source>
        <translation>새 앨범 이름:</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/photo_actions.py" line="157" />
        <source>Open with</source>
        <translation>다른 프로그램으로 열기</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/photo_actions.py" line="245" />
        <source>Find similar</source>
        <translation>비슷한 사진 찾기</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/photo_actions.py" line="250" />
        <source>Open</source>
        <translation>열기</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/photo_actions.py" line="253" />
        <source>Open with…</source>
        <translation>다른 프로그램으로 열기…</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/photo_actions.py" line="259" />
        <source>Show in folder</source>
        <translation>폴더에서 보기</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/photo_actions.py" line="266" />
        <source>Copy path</source>
        <translation>경로 복사</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/photo_actions.py" line="268" />
        <source>Copy {count} paths</source>
        <translation>경로 {count}개 복사</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/photo_actions.py" line="277" />
        <source>Add to favourites</source>
        <translation>즐겨찾기에 추가</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/photo_actions.py" line="277" />
        <source>Remove from favourites</source>
        <translation>즐겨찾기에서 제거</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/photo_actions.py" line="281" />
        <source>Add to album</source>
        <translation>앨범에 추가</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/photo_actions.py" line="292" />
        <source>New album…</source>
        <translation>새 앨범…</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/photo_actions.py" line="298" />
        <source>Remove from this album</source>
        <translation>이 앨범에서 빼기</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/photo_actions.py" line="302" />
        <source>Copy to folder…</source>
        <translation>폴더로 복사…</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/photo_actions.py" line="303" />
        <source>Move to folder…</source>
        <translation>폴더로 이동…</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/photo_actions.py" line="304" />
        <source>Move to trash…</source>
        <translation>휴지통으로 이동…</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/photo_actions.py" line="366" />
        <source>Move the photo to</source>
        <translation>사진을 이동할 위치</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/photo_actions.py" line="368" />
        <source>Move {count} photos to</source>
        <translation>사진 {count}장을 이동할 위치</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/photo_actions.py" line="372" />
        <source>Copy the photo to</source>
        <translation>사진을 복사할 위치</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/photo_actions.py" line="374" />
        <source>Copy {count} photos to</source>
        <translation>사진 {count}장을 복사할 위치</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/photo_actions.py" line="383" />
        <source>Move this photo to the trash? It leaves the library; you can restore it from the trash.</source>
        <translation>이 사진을 휴지통으로 옮길까요? 라이브러리에서 빠지며, 휴지통에서 되살릴 수 있습니다.</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/photo_actions.py" line="387" />
        <source>Move these {count} photos to the trash? They leave the library; you can restore them from the trash.</source>
        <translation>사진 {count}장을 휴지통으로 옮길까요? 라이브러리에서 빠지며, 휴지통에서 되살릴 수 있습니다.</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/photo_actions.py" line="389" />
        <source>Move to trash</source>
        <translation>휴지통으로 이동</translation>
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
    <name>ThingsList</name>
    <message>
        <location filename="../../desktop_album/gui/things_list.py" line="102" />
        <source>None yet: things are found after indexing</source>
        <translation>아직 없음: 색인이 끝나면 사물을 찾습니다</translation>
    </message>
</context>
<context>
    <name>ThumbnailSizeSlider</name>
    <message>
        <location filename="../../desktop_album/gui/browse_prefs.py" line="39" />
        <location filename="../../desktop_album/gui/browse_prefs.py" line="48" />
        <source>Thumbnail size</source>
        <translation>미리보기 크기</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/browse_prefs.py" line="47" />
        <source>Thumbnail size (Ctrl+wheel on the photos)</source>
        <translation>미리보기 크기 (사진 위에서 Ctrl+휠)</translation>
    </message>
</context>
<context>
    <name>VanishPrompt</name>
    <message>
        <location filename="../../desktop_album/gui/vanish_prompt.py" line="55" />
        <source>Photos disappeared</source>
        <translation>사진이 사라졌습니다</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/vanish_prompt.py" line="57" />
        <source>{count} photos in {folder} disappeared at once. Was the drive unplugged?</source>
        <translation>{folder}에서 사진 {count}장이 한꺼번에 사라졌습니다. 드라이브가 분리되었나요?</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/vanish_prompt.py" line="60" />
        <source>Keep them</source>
        <translation>그대로 두기</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/vanish_prompt.py" line="62" />
        <source>Mark them missing</source>
        <translation>사라진 것으로 표시</translation>
    </message>
</context>
<context>
    <name>WindowDialogs</name>
    <message>
        <location filename="../../desktop_album/gui/dialogs.py" line="112" />
        <source>{model} is ready, no re-indexing needed.</source>
        <translation>{model} 모델이 준비되었습니다. 다시 색인할 필요가 없습니다.</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/dialogs.py" line="114" />
        <source>Switching to {model}: photos are prepared for it in the background.</source>
        <translation>{model} 모델로 바꾸는 중: 사진을 백그라운드에서 이 모델에 맞게 준비합니다.</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/dialogs.py" line="165" />
        <source>Some changes take effect when the app starts again.</source>
        <translation>일부 변경 사항은 앱을 다시 시작하면 적용됩니다.</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/dialogs.py" line="171" />
        <source>none</source>
        <translation>없음</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/dialogs.py" line="172" />
        <source>Desktop Album</source>
        <translation>데스크톱 앨범</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/dialogs.py" line="176" />
        <source>Find your photos by describing them. Everything stays on this computer.</source>
        <translation>말로 설명해서 사진을 찾으세요. 모든 것이 이 컴퓨터 안에서만 처리됩니다.</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/dialogs.py" line="179" />
        <source>Qt {qt} · PySide {pyside} · onnxruntime {ort}</source>
        <translation>Qt {qt} · PySide {pyside} · onnxruntime {ort}</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/dialogs.py" line="183" />
        <source>Model: {model}</source>
        <translation>모델: {model}</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/dialogs.py" line="186" />
        <source>see the model's documentation</source>
        <translation>모델 문서를 참고하세요</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/dialogs.py" line="187" />
        <source>Model license: {license}</source>
        <translation>모델 라이선스: {license}</translation>
    </message>
    <message>
        <location filename="../../desktop_album/gui/dialogs.py" line="192" />
        <source>About Desktop Album</source>
        <translation>데스크톱 앨범 정보</translation>
    </message>
</context>
</TS>