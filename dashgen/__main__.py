from dashgen.entry import main

raise SystemExit(main())
