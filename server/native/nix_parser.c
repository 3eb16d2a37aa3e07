/*
 * nix-ai's native parser: tree-sitter's C runtime with our Nix grammar, as a Node-API addon.
 *
 * One call, parseFlat(text), parses a whole text and copies its tree into plain typed arrays, the
 * layout of FlatTree (server/src/parse/flatTree.ts); the tree-sitter tree is freed before it
 * returns. The copy is made here rather than by walking the tree from JavaScript: a call across
 * Node-API per node costs more than the parse itself.
 *
 * The text is handed to tree-sitter as UTF-16, so every offset is a JavaScript string index, the
 * same as web-tree-sitter's. Each Node environment (the main thread, each worker thread) gets a
 * parser of its own.
 */
#include <node_api.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "tree_sitter/api.h"
#ifdef __GLIBC__
#include <malloc.h>
#endif

const TSLanguage *tree_sitter_nix(void);

#define NAMED 1
#define MISSING 2
#define HAS_ERROR 4
#define ERROR_SYMBOL 0xffff

typedef struct {
  TSParser *parser;
  uint16_t *text;
  size_t text_cap;
} Instance;

static void free_instance(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  Instance *self = data;
  if (self->parser) ts_parser_delete(self->parser);
  free(self->text);
  free(self);
}

#define CHECK(call)                                                         \
  do {                                                                      \
    if ((call) != napi_ok) {                                                \
      napi_throw_error(env, NULL, "nix-ai native parser: " #call " failed"); \
      return NULL;                                                          \
    }                                                                       \
  } while (0)

/* Growable arrays of one node field each. */
typedef struct {
  uint16_t *type, *field;
  uint8_t *flags;
  int32_t *start, *end, *parent, *after, *prev, *last;
  uint32_t cap;
} Columns;

static int columns_grow(Columns *c, uint32_t cap) {
#define GROW(name, type)                                      \
  {                                                           \
    type *p = realloc(c->name, (size_t)cap * sizeof(type));   \
    if (!p) return 0;                                         \
    c->name = p;                                              \
  }
  GROW(type, uint16_t) GROW(field, uint16_t) GROW(flags, uint8_t)
  GROW(start, int32_t) GROW(end, int32_t) GROW(parent, int32_t)
  GROW(after, int32_t) GROW(prev, int32_t) GROW(last, int32_t)
#undef GROW
  c->cap = cap;
  return 1;
}

static void columns_free(Columns *c) {
  free(c->type); free(c->field); free(c->flags); free(c->start); free(c->end);
  free(c->parent); free(c->after); free(c->prev); free(c->last);
}

/*
 * Walk the tree in document order, as FlatTree.copy does over web-tree-sitter's cursor: a node's
 * extent is its own for a leaf and read off its children for a parent; the root's is the tree's.
 */
static int flatten(TSTree *tree, const TSLanguage *language, Columns *c, uint32_t *size) {
  TSTreeCursor cursor = ts_tree_cursor_new(ts_tree_root_node(tree));
  TSNode root = ts_tree_root_node(tree);
  uint32_t n = 0;
  int32_t current = -1;
  int descending = 1;
  for (;;) {
    if (descending) {
      if (n == c->cap && !columns_grow(c, c->cap * 2)) return 0;
      int32_t me = (int32_t)n++;
      TSNode node = ts_tree_cursor_current_node(&cursor);
      TSSymbol type = ts_node_symbol(node);
      c->type[me] = type;
      c->field[me] = ts_tree_cursor_current_field_id(&cursor);
      c->parent[me] = current;
      c->last[me] = -1;
      if (current >= 0) {
        c->prev[me] = c->last[current];
        c->last[current] = me;
      } else {
        c->prev[me] = -1;
      }
      uint8_t f = (type == ERROR_SYMBOL || ts_language_symbol_type(language, type) == TSSymbolTypeRegular) ? NAMED : 0;
      if (ts_tree_cursor_goto_first_child(&cursor)) {
        if (type == ERROR_SYMBOL) f |= HAS_ERROR;
        c->flags[me] = f;
        current = me;
        continue;
      }
      c->start[me] = (int32_t)(ts_node_start_byte(node) / 2);
      c->end[me] = (int32_t)(ts_node_end_byte(node) / 2);
      if (c->start[me] == c->end[me] && ts_node_is_missing(node)) f |= MISSING | HAS_ERROR;
      c->flags[me] = f;
      c->after[me] = (int32_t)n;
      if ((f & HAS_ERROR) && current >= 0) c->flags[current] |= HAS_ERROR;
    }
    if (ts_tree_cursor_goto_next_sibling(&cursor)) {
      descending = 1;
      continue;
    }
    if (!ts_tree_cursor_goto_parent(&cursor)) break;
    int32_t done = current;
    c->start[done] = c->start[done + 1];
    c->end[done] = c->end[c->last[done]];
    c->after[done] = (int32_t)n;
    current = c->parent[done];
    if ((c->flags[done] & HAS_ERROR) && current >= 0) c->flags[current] |= HAS_ERROR;
    descending = 0;
  }
  ts_tree_cursor_delete(&cursor);
  c->start[0] = (int32_t)(ts_node_start_byte(root) / 2);
  c->end[0] = (int32_t)(ts_node_end_byte(root) / 2);
  *size = n;
  return 1;
}

/* A typed array of `count` elements copied from `data`, set on `out` as `name`. */
static int put_array(napi_env env, napi_value out, const char *name, napi_typedarray_type type, const void *data, size_t count, size_t width) {
  void *bytes;
  napi_value buffer, array;
  if (napi_create_arraybuffer(env, count * width, &bytes, &buffer) != napi_ok) return 0;
  if (count) memcpy(bytes, data, count * width);
  if (napi_create_typedarray(env, type, count, buffer, 0, &array) != napi_ok) return 0;
  return napi_set_named_property(env, out, name, array) == napi_ok;
}

static napi_value parse_flat(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  Instance *self;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  CHECK(napi_get_instance_data(env, (void **)&self));
  size_t length;
  if (argc < 1 || napi_get_value_string_utf16(env, argv[0], NULL, 0, &length) != napi_ok) {
    napi_throw_type_error(env, NULL, "parseFlat expects a string");
    return NULL;
  }
  if (length + 1 > self->text_cap) {
    uint16_t *p = realloc(self->text, (length + 1) * sizeof(uint16_t));
    if (!p) {
      napi_throw_error(env, NULL, "nix-ai native parser: out of memory for the text");
      return NULL;
    }
    self->text = p;
    self->text_cap = length + 1;
  }
  CHECK(napi_get_value_string_utf16(env, argv[0], (char16_t *)self->text, length + 1, &length));
  TSTree *tree = ts_parser_parse_string_encoding(self->parser, NULL, (const char *)self->text, (uint32_t)(length * 2), TSInputEncodingUTF16LE);
  if (!tree) {
    napi_throw_error(env, NULL, "tree-sitter returned no tree");
    return NULL;
  }
  Columns c = {0};
  uint32_t size = 0;
  uint32_t cap = (uint32_t)(length >> 2) > 64 ? (uint32_t)(length >> 2) : 64;
  int ok = columns_grow(&c, cap) && flatten(tree, ts_parser_language(self->parser), &c, &size);
  ts_tree_delete(tree);
  if (!ok) {
    columns_free(&c);
    napi_throw_error(env, NULL, "nix-ai native parser: out of memory for the tree");
    return NULL;
  }
  napi_value out, count;
  ok = napi_create_object(env, &out) == napi_ok && napi_create_uint32(env, size, &count) == napi_ok
    && napi_set_named_property(env, out, "size", count) == napi_ok
    && put_array(env, out, "typeOf", napi_uint16_array, c.type, size, 2)
    && put_array(env, out, "fieldOf", napi_uint16_array, c.field, size, 2)
    && put_array(env, out, "flags", napi_uint8_array, c.flags, size, 1)
    && put_array(env, out, "start", napi_int32_array, c.start, size, 4)
    && put_array(env, out, "end", napi_int32_array, c.end, size, 4)
    && put_array(env, out, "parent", napi_int32_array, c.parent, size, 4)
    && put_array(env, out, "after", napi_int32_array, c.after, size, 4)
    && put_array(env, out, "prev", napi_int32_array, c.prev, size, 4);
  columns_free(&c);
#ifdef __GLIBC__
  /* a parse allocates many times the text in small pieces; glibc keeps freed memory for the next
     allocation (per thread), which to a checker of thousands of files looks like a leak */
  malloc_trim(0);
#endif
  if (!ok) {
    napi_throw_error(env, NULL, "nix-ai native parser: could not hand the tree over");
    return NULL;
  }
  return out;
}

/* The grammar's tables as web-tree-sitter reads them: visible type names, field names, named types. */
static napi_value grammar(napi_env env, napi_callback_info info) {
  (void)info;
  const TSLanguage *language = tree_sitter_nix();
  uint32_t symbols = ts_language_symbol_count(language);
  uint32_t fields = ts_language_field_count(language);
  napi_value out, types, names, named, v;
  CHECK(napi_create_object(env, &out));
  CHECK(napi_create_array_with_length(env, symbols, &types));
  CHECK(napi_create_array_with_length(env, symbols, &named));
  for (uint32_t i = 0; i < symbols; i++) {
    TSSymbolType kind = ts_language_symbol_type(language, (TSSymbol)i);
    if (kind == TSSymbolTypeRegular || kind == TSSymbolTypeAnonymous) {
      CHECK(napi_create_string_utf8(env, ts_language_symbol_name(language, (TSSymbol)i), NAPI_AUTO_LENGTH, &v));
    } else {
      CHECK(napi_get_undefined(env, &v));
    }
    CHECK(napi_set_element(env, types, i, v));
    CHECK(napi_get_boolean(env, kind == TSSymbolTypeRegular, &v));
    CHECK(napi_set_element(env, named, i, v));
  }
  CHECK(napi_create_array_with_length(env, fields + 1, &names));
  for (uint32_t i = 0; i <= fields; i++) {
    const char *name = i ? ts_language_field_name_for_id(language, (TSFieldId)i) : NULL;
    if (name) CHECK(napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &v));
    else CHECK(napi_get_null(env, &v));
    CHECK(napi_set_element(env, names, i, v));
  }
  CHECK(napi_set_named_property(env, out, "types", types));
  CHECK(napi_set_named_property(env, out, "fields", names));
  CHECK(napi_set_named_property(env, out, "named", named));
  return out;
}

NAPI_MODULE_INIT() {
  Instance *self = calloc(1, sizeof(Instance));
  if (!self) return NULL;
  self->parser = ts_parser_new();
  if (!self->parser || !ts_parser_set_language(self->parser, tree_sitter_nix())) {
    free_instance(env, self, NULL);
    napi_throw_error(env, NULL, "nix-ai native parser: the grammar does not load into this tree-sitter");
    return NULL;
  }
  if (napi_set_instance_data(env, self, free_instance, NULL) != napi_ok) return NULL;
  napi_property_descriptor props[] = {
    {"parseFlat", NULL, parse_flat, NULL, NULL, NULL, napi_default, NULL},
    {"grammar", NULL, grammar, NULL, NULL, NULL, napi_default, NULL},
  };
  if (napi_define_properties(env, exports, 2, props) != napi_ok) return NULL;
  return exports;
}
