from kaari.cli import main

main()
