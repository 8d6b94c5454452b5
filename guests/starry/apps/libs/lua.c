/* A workload on Debian's liblua5.4.a: a minimal interpreter, "lua SCRIPT [ARGS...]" runs the
 * script with its standard libraries and the arguments in the global table `arg`. */
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	lua_State *L;
	int rc;

	if (argc < 2) {
		fprintf(stderr, "usage: lua SCRIPT [ARGS...]\n");
		return 2;
	}
	L = luaL_newstate();
	if (!L) {
		fprintf(stderr, "lua: no memory\n");
		return 1;
	}
	luaL_openlibs(L);
	lua_createtable(L, argc - 2, 1);
	for (int i = 1; i < argc; i++) {
		lua_pushstring(L, argv[i]);
		lua_rawseti(L, -2, i - 1);
	}
	lua_setglobal(L, "arg");
	rc = luaL_dofile(L, argv[1]);
	if (rc != LUA_OK) {
		fprintf(stdout, "lua: %s\n", lua_tostring(L, -1));
		fflush(stdout);
	}
	lua_close(L);
	return rc == LUA_OK ? 0 : 1;
}
