from desktop_album.cli import main

raise SystemExit(main())
