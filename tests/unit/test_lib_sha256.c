/* Unit tests for lib/sha256.c: NIST vectors, streaming equals one-shot, lengths 0..200. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "sha256.h"

static void assert_digest(const uint8_t d[SHA256_DIGEST_SIZE], const char *hex)
{
	char got[SHA256_HEX_SIZE];

	sha256_to_hex(d, got);
	assert_string_equal(got, hex);
}

static void assert_oneshot(const void *msg, size_t len, const char *hex)
{
	uint8_t d[SHA256_DIGEST_SIZE];

	sha256(msg, len, d);
	assert_digest(d, hex);
}

/* FIPS 180-4 example messages (NIST CSRC "SHA256.pdf" and "SHA2_Additional"). */
static void test_nist_vectors(void **state)
{
	static const char m448[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	static const char m896[] = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
				   "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

	(void)state;
	assert_oneshot("abc", 3,
		       "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	assert_oneshot("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	assert_oneshot(m448, strlen(m448),
		       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	assert_oneshot(m896, strlen(m896),
		       "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

static void test_million_a(void **state)
{
	static uint8_t buf[1000000];
	struct sha256_ctx ctx;
	uint8_t d[SHA256_DIGEST_SIZE];
	const char *want = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";

	(void)state;
	memset(buf, 'a', sizeof(buf));
	assert_oneshot(buf, sizeof(buf), want);

	/* The same million fed one byte at a time exercises the partial-block path throughout. */
	sha256_init(&ctx);
	for (size_t i = 0; i < sizeof(buf); i++)
		sha256_update(&ctx, "a", 1);
	sha256_final(&ctx, d);
	assert_digest(d, want);
}

#define PAT_LEN 200

static void fill_pattern(uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)(i * 37 + 11);
}

/*
 * sha256sum of the first n bytes of fill_pattern's output, for n = 0..200, computed on the host
 * with coreutils when the test was written. Covers every padding case around the 55/56/64-byte
 * boundaries, and lengths of several blocks.
 */
static const char *const pattern_sums[PAT_LEN + 1] = {
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "e7cf46a078fed4fafd0b5e3aff144802b853f8ae459a4f0c14add3314b7cc3a6",
    "cdc63a6325d5fa92515578c0b418e6eeec1c6d085937a24fc43c2126ea517457",
    "b39fad1a1075f64570b3226d339ea818f9c66ecd2f1c59fd8b9c5a32b54c513f",
    "eedb9976fbc850679de37a930e6685d5d7db6ea7c723af34df528aa8b6fa46df",
    "b0876eace1394020b22cb0718294dd328ac1dc6bae00af2f064289022c86281a",
    "801da61dbcec49313c8da83ee4a11a12ab0a33d3acfef1cfe1661be0d5564751",
    "e759cdfe6d8119afd0dccf1b85394ff66d02636fd01db3189dae43e91e3c1385",
    "ada1a184226d6b2fd6a3728f3c5411d6651f387a6365d84fee8972f8fe55dba9",
    "5e0f483e871e0f84851ecd8b9ed0001677c4bf98638ab260d85ed264258c6904",
    "775297092df92dfd16a87620e0608f71e11b14b156c58d20846ab7b197d83eb7",
    "08fabd05da8d4962bb9f3ba1a1393ef41d38cbe575d5764715a966adb6da2d97",
    "dd3fd284d8cc574a76de2481f20213f443ba8f939e41b9855023901e4b508f73",
    "f9a3612d255e62d4ea5f0b94b5543bf0c0efb9f9acc1e759ad574ab269a9edba",
    "66c694f29564ed1be238f0cc7d5783a386be4598254f35bf2357cd372d2b3d5e",
    "09792492cd2b1db99c9726d9e94640a1b7fd99dce348acbdcd55daba1c7e7bf2",
    "cd7d620a0588e54dd46e114a6f4ae5212c82e48abe5a13703649a745861a0c60",
    "d6ef72ccf1dc07afb3074967c93919b8c410f0b633fec60ee3c7233441ceff44",
    "f903fae92d4e901c983f528192521f6dc333063cb3989d0e140b5bf9296fa6c3",
    "9a20ae798f2ad83bda7888c59ffd303dfe46b0d64a82ecb6b760be0f6f88d89c",
    "74da03933ab6fc62c7871c2994af988ff99b7f064737c81af8e81aceddaf57b6",
    "90ce7915f1f22d079093aa50265dd48754aa017d4ef23d5cafc06102d55002d6",
    "a0407fc482a072d7cc0035a8e3e7330654cf0762a474810fa109679ad1d02412",
    "4d556bf9c23323e0aba17945aad3a832e0f67dfe4d2222d6244c28c599c9312f",
    "23c7b48100a142072d8f750d7bb2e34d72cc46e6ac263c54a1a0b36fec0aa5da",
    "26c285015de52171ecaee093dff3f497dd3c0f12e4f484cebb3c35c05d54c510",
    "934d8a4d5356f43aedf493cc31a3e482df2df9eb2bcca87b5cd237972d023980",
    "a05ecc61ba4d79334e8cf64416940dee178907d88b5f63b194bb114057c472b8",
    "3dc7de8e7e5e2a49680248f1513fd2552a1be410681820abb813ab934c8b1ec0",
    "1a4959dca1af8f260fc0d66a18b58b59c21b23aca05a019eae35cf9e4bbca2c9",
    "c582303daf20ec31db865226561c32ff015ce49f00254dbb056a5d7544fb9b66",
    "0cc420417cb6a768e632bf1be8d1f197c9c0e9dd1dd2021e3bd37c46cee0516f",
    "83b7a8ed859053c81d818870fab1f8b1ae44d06a98a9665d369a8fd7d2838ded",
    "e19474c88a4056ba021fa047becc8366c59b3a933931d508ec4543450731132f",
    "9dad872820622ff8d5851eafd45e7dafd4ee3e22adece4a5f029668011f5c1ee",
    "97b4af583dbc8199a534122a55cc10d1a6c01de7138ee62cf5e5e71e6cddff23",
    "de547933205679b70215773345d0509b37c2028c25cbb2f58a7fe5c4943b0bdb",
    "c33aef5769fc88357a5805ef4e4d171ce91fdacf03d93c7826a944d4a725d11b",
    "cc539ac958c16c43b9071ae6191fd25f2839167b546e351dd503e0195404f4a5",
    "cfc1ad90c5803aed16496c24a6ef2669c3f71384bc6b32ed810583ec757e143c",
    "76def75856e5d73ece011b058b02d205991a48f0fcf8b7ddcc24005d57759b23",
    "c3e0156169b2a77559942d6c83f3910d0967752ee41c3db7d66ae8ce86f2e69e",
    "602d057fc3af303e2c318d681f05e1e7acbe07bdc9129434eac90b1c6739075d",
    "3396a0e8fca1de6d61bd8325a5c35e30c32e0c99b25e7b7e86a893103c77400e",
    "adef897bed495fd4f175556c1cfa9818dd7ea28e205be2c074f7673e428f1d46",
    "20b886fee380b8f643ff3839dfdfe82579f427e391fa15ecf926a5852ffca93b",
    "5012a47af354ee8d1fe54280e8da11b17c5b98dd39a8e86f2a82acbee6b1d2b9",
    "4c8c50af8719072140fd82c583ad0972136d3962ea3f70ee3b611d11acd386ad",
    "a6250da1e7ca144af7fdac8fd737c2e88e87cc08e232b16b53452227a56d5dde",
    "d08cf7eb5abf6b84dfc0187e137a8929855f59cccd4bcf5911f7912bf44a86f2",
    "32a1cfde77b79bf95b4ec12614851574efe58f62ff2513943fb58b003bce2b1e",
    "4eae55438a1f230e75259856b44bf3c4265fa98ab1c61813e1c5b8c63ff4f885",
    "a200151966c341bcae5526e4e9cb6c344b9231c4468b159d5d90ee56963ffb4a",
    "a41ad7999ea32fb38095ca92f1c54848aebd573b9a2922f572f684b1da8f5ac5",
    "0b35cded48f546833dc4e93133ffc3d7e05c7e41842f4accc39c6e04204c8dde",
    "2900465fcb533e05a158fd2b3be0e5e3b03740d83060aa3580e0d98a96bf2384",
    "31454ff48ef36af2f08fd511bdc37d9d5855ac23e992e5ff5445cb6b7674a674",
    "bcc0a5d3791b985b7550e04ca660a6c63a589ba1edd2283c8e110e5b515df124",
    "625f50f0c121a43afb524b104e3edf8eacf001ffd8795ac11609f458bb4c9003",
    "5a85bd878ca7ff9e9a89748f613bf443cf10d199662c21e7115fca98262fa411",
    "35d6f8129baac2bc4427ae4f5d831acde4a59233146da0e0524cd6b445ff6982",
    "de1025bf69990152626ae709c870a15a907a1775ecf669fb3d4955a4ee23a3da",
    "88908d0c7953bf0924d1e1e6f494578300aab9c32e4312f1e733832ff57d8bff",
    "5f6401b96532c36de4e65beec0409b69b1d181864c8009b7a04f43e5d56350d1",
    "94eb5de4943613fd048dc93393ab06877405faa39c11f53e9386083339833e7e",
    "fc518669b6eb4b4dd91827ecacef86689c725bd5bab888fd3b26dbb196eec954",
    "65d7b2dbf0f1402f1c5e0d31165ae5a2660417bb118185f8e802ff2433b10b61",
    "1751e734f4b375b9a87d788441da4e2054858e8a29ea3039579dd765f778c3c6",
    "82ca07354ec5f5f758372e2dc930e31aa6c6b4f488233e4e4333e6e3c373966e",
    "487875324c347b6baccc0e7b7c7e4a0e68e34f932cbb32b23b259c98af778f2c",
    "54600d51dc1bbf04fb01cd5120f7797e4f5b974e224c8963865d1ecad1bf6d3c",
    "2da56abe0ee37a408a94693d95f7af5e9774f0659a3c2593b33df5fb0a236e35",
    "f1ea2423d41c019f186e07091035dfdd3627392a51584d753295a86810066c61",
    "d3d699995b8dca504d20bdaf82d9ef8bc2f7bf3a2126eb7192a6e831f5b4babb",
    "085013af5c88bd1be39327fe36180ec513e4614bba72213b5709b490746ad03a",
    "bdfbaedb8843d8edbaf7ac25816e72e56410fcf73c03b88deb5bd6588a0e1bce",
    "afe11f0eeb094a486d48cc0487b69db3c7613ac5f504f4b6c634dc68064a5c19",
    "6f01858ea26c389578b8a5e009a3a31d8f0935e2825678ddd15139cffcd60eb5",
    "c32a314d01b530f4da04e1ee760e31c53753c90a32112f2a2f986051dd3e0d0c",
    "3e4ebacf675f162f656e4ad287e9851c295c07157e40345d00d450bfdfa06c74",
    "8afeccf31bf9f73cd8af1a4c0288ad4f0bb8e1d0774d48632c4ef1b5df82e779",
    "ddae3bfe09abd5afa42033db7b96cf8a28d19888c510d070135fe530b95de166",
    "87bc08d52cbd184319ab15d724cbc176b5c170a8e9006b822fe9d8cfd5429544",
    "48e6ff5b741939d250244be71835ccf9990e2ad25bf9c8421a478e5c6c05f864",
    "baa4f92a8a93935d5f99d9d47f04358eb56cda3fd880048c2b3da2b107450757",
    "aca8968db74fbd68c294dd826d1e7dcca58e321b505dc96eeebd5ac2f2c15636",
    "d3431be4fd07bc8d9fdaedbdc9584defa07ef03a34517d7e689180d429fcc144",
    "dd6ac441d2d8e74e32c2079f14e1763b52b177fac3f4833ae3896339d9c15341",
    "c51092ae9e5f2311f8cca2cd082a0c47dcef80524d7b9e497b92c4b6c287425f",
    "90202925504853497e21fdaad3d18a4caa0d3da1f25796fbfc221181cd5589aa",
    "38516949889807994420f40558eafc48753d4a99ec33d6a04045cf1d2e527b57",
    "6dd8ebcf9bdae6f557891ee487229ab4c37abc9bd5987c463935084c321eac0a",
    "2f4ac2663ceea0e9dd22721d110b2d6a565e000b1069436c7e723ca09a9af2f6",
    "f56327665603462dd71e534d972a4f9d2f4fb1b389c9a30affe8a99f1fcd7d37",
    "eeb364ed535ddee1ae978899ff0958363a8f3b27447baed3906bbf2bf225f93a",
    "47b36f08053588e6added63bcd14bec0c3017ef2e11cbf22fcb900863d70e02a",
    "88e785f8ea2039c6d181b4f501ac3f4458b904dea280fe66f2d590d7c098db25",
    "60919a22a1cff77e01622c9ff12b4e87852d978b9d3f6eec3790adacee05da13",
    "4169a946e6e90dc9125004dc10ee2f2ccd0bdb719c06099255e22ea34e3589f5",
    "de7c1ec4aa814a4bca044a6392f2d084b1247c751f859b0cc940e531e6c393bb",
    "5fb5d4b7ace49f5eac37422b8e1db12bab83cdbc2b7123abb61457e19c050d4c",
    "ef70de4d49e091d72d4cbf7c44c68d697564536a3dca09d5f18f11cf51652ccd",
    "ad2bfc2ba2bacc4924c52ef70ca127df712796bec9dbced853b9df366ee67e06",
    "9ae38e0d0111478e163e01ff1ee3b67272ab39b341165f217eafa18eacad09b8",
    "76701c4459d8d58fe7a0f16f5699e6074de6ca12005df1008ff618b4764c2818",
    "70ef868078a5640f4e1c8b7afd900329ea332be2a6a3f8e57dfeaf9f084e1b26",
    "237384e7b0fded9f4f7844f68892645380a022602c935668d7797365bf053a22",
    "f3d5506a70f4dbf96e095e15ecb257b1899ede36265815e781092f0ad5f04392",
    "0c0f21f9639bdc2404e10917555a5c62dc019032545343f5ea24d78d68e4b5c0",
    "dffe27d7c312f2e63c9183e4fdc0efb2ccddc29eb64789e34d4c701c8d6cca06",
    "65a81a885728692a22ddc6b961a4ea59c361e2e02de2bb27dfcdf41cd8dcd0d4",
    "aeca4f5a02aead30b044df2ce00b97f2f4874c25352eaa1916a1831819dcc3dd",
    "cec7a189fcea0a38f025f11208b1bd2b12ec291ff00ec5448a325c5c8db0c7ac",
    "cf1a963953155c44d16895e04631102a3e8c239321e045b9a62d71eac1c4a67a",
    "2ebc22005dfccb2af091d0f0b3131a44fccc4040ee238f94fa245759c08fb14f",
    "cd738c4986011502c886997e292dbf0d25ee5553903e367570ca86c269915dc5",
    "fb1b5da476c8834f72ac306a34864d8fceb08b88b625d8f40ccb54332ac92a98",
    "ae8dd3e46094282f5a992327888c1305d5291c5025a4bf6cfc3fb2f8bbfd36e5",
    "f3283313d4f923cd7202ee64fa023aa6daa492bc7838b9f970d24a9f8cc62a93",
    "b0dc41b1a384e2f1203f0351b38fbeaafceef577ce1191d5bfc25da39f721eae",
    "5df24dd802ac26132ce608dcb5f09841eef039ee0f152acf98d26d17fe4e88e6",
    "5ed5a129bb49444fe2585d785920135a02f64350edf57c5f3ce7605b86f39039",
    "8419642ca144c4337525ba61c1f2d3d291449fd49c86eaa902ea1eb756865794",
    "b9b8bc6127b8c9e1396cc2081b5181edc2a264746b6038b094e49b7ea8a98a46",
    "3dc980ced4e4687929dd079c84fe8e6e4b3d6a80435a68bb3ad4bb860ea63b80",
    "7e4f5abad35b869cb65368b12294c008848db0e48c513f6eab6c768daabe73ab",
    "8513afe4abd1c76b2e4959fa30344f1c85bb8acbbf0284f161aa47fbf459e483",
    "0fe729ff19257bd6fec853acc2ea355f6b34b58e6c0f684c3e188fcdfcd9baae",
    "0aedd4856f8eba0963627336ad5144a9a7dbe12498e6066f0165fc97d8ddee4c",
    "4f1757ae4bffbae86d775b831765b75af154d52f7deaa46dd378051a2d3ad57f",
    "d35b74124cb85cfac62bfeaf3a9771efab3e0ef88fc43702c35a6efe09467cc1",
    "59af9661a687e63d741474741e090bc7af5eeca69f4312482a7b4b1a3d3607d9",
    "607bc92ce6fbdc49f884f946265f5e110da4b415fa967851a96f7c35de492c8a",
    "3bbddcc5dde759dfaf9dfbe64137f91fd360cd50e9801fd288db3e0c9f25796c",
    "40ef446abfe35ccabe226df76d58554769f3acee48d79700c03755e5fe9457d5",
    "04334c8eae2c6af8053fe8b44325a6d5354f0e3baac1881681e425acc58c4ac4",
    "ffaf7a9992cb4e7b6dd67667c96d176e4f228ac4276857f740ed4b6e98cadf7c",
    "bc3e21f61bdc9dd0975ae1a98ead6c60c61ae958fdeb94770ab5d44c487667eb",
    "8a7bc92641600f71ed1577575d31e1391f9bf76a4316a9b944f9fb0b8c0a0ed1",
    "fab8afc66644380140c5a35534d61e78f2e07bd19dd3d4dd5e944d7b86ec8a03",
    "5a28bfa762a5c9cd6d623db1eb0486631e46258eff669fdb87883eae755761c5",
    "e611aaeac5fe16e9fd578f6c0e5129dabcb8dab958d10d41d84a32262916e410",
    "500ba1a033cdc9f73cdb57f6509a2dc674cf0bf17f5afe0bab30a393b8d45468",
    "cb3c8494e0ac93d6d35b77acbf381893e6d3811be1a7b0d9e6e095a458637f98",
    "84ceb5dbd49cdaadfe39e38e63ed03298fe7b79f5041708b0d731db7a39d8dbd",
    "e99523c507ea18ced405e98dbc4b29c4d32bf6af7a4af4eb1452a2257df0d013",
    "ecd8c026064cdc231580c16e0b9b8df833db047d9ca1ef5778cf065a6d08db2e",
    "e648219379e2a46d1b3a21c435058f835034e7c2f25d737dabfc1f914d8e0cb2",
    "3cfc16b7faf0ebb28eb687f04d11cea7de53146716933afbf685e1f77402dcc3",
    "812a0882b62693af4201432ce191bdac6e21baaf656cb702a01cd633e3709b98",
    "5a4dc528f77fb11e6e1490de3d476fb67f9a5ccd5f0c0d95e0db3fd99e85a887",
    "eb15d01e22723f2f80ef076fb5b4ee3e7350fe5a6a89cc9c0a816690e624ce15",
    "ed57f1fd6af9c2a627f43a6d5ea26860b8191b0ed71d4ce14644e385e7d933d4",
    "e8a117085f7ee7c1b065907d9c5e7536a21faed5b15f0067c8e36e09eef16649",
    "9b5c4cbb8e8d3245d237baf44b466c62ed5fe80c916a63deb5103fe7003ca2e7",
    "00378e8d59f4dc790e7945c84194f4028a80f42589369f3459d733940d2324ff",
    "584f88d24cd9d725615c667165d27c05452d6a7e0fafa82f8571bff3a616d640",
    "d36b4dfbcd930d345e5707f903fcb78bc3c8fc3e004b0ea7e68d414df5e2f959",
    "764896e1e0481a04b0c00076b032afe27750d91e8228a42d1c47fe9b1a8cf812",
    "e9c839006dcde46d4c29fe92bc0068d5f594177d66d3f68634b647deed995d65",
    "b0b6f680d8d42d963e83942468ec6de7c2fb194463df9be9e9bf7e702cd3eee6",
    "2e2f80d7d19aed98a0e378e493f1fd117c0ff8c8f084e9cafddaf59c28117768",
    "769292cde76b02251b59010513368f2b43cbae5e4c17e53c3e82e7e24c08c42e",
    "3412cf08084500b907f11ee297b5d66989b28ee8ffa7c4694911a24b31088006",
    "678d99bc866b9b2d673ad469e51067f25b8d02fd7e607165f0a4d7c18a51d17a",
    "7c4453d05efd6342a664f5e4650ff9a13645cb0947777283c223551473ae494c",
    "7cfbe657083f068e0877c80e1920e63ea8374f6eba0a36dfed6893386a07c4bf",
    "dbe0ce98f294f2575e21c8ad9cea3c4c2ee89d97600dc87c06a91f3912bad382",
    "f7cd60bcd1d7117bf0110d9a5b938bbd505d15c38022928d4a21e2c469cfa30b",
    "c0574525e77cea4a3aff6b563c95eb83affcec6de295ffbc35598bf654bab09b",
    "c924bd2978d8153b9bf43aea65e435e191a459add1810a04e15ce1735fb9a3de",
    "49ebded81b5b15adb06e1ad37d3e8c52d29c94c20e5002949fd081a79491b5dd",
    "834b2001847f33e6928f2b8fd27e3379aa3adfc34b358a9a4723d0464ae0b945",
    "d96c64f734ad10cb337e5fd3a1947ecac9ccacf6973fa497b6f811d6f4aaa1e3",
    "71f4ba692669f02ae200561f087dbf41ad392458e3556a449d1da6da6057d95e",
    "eec8c6d845760018c6c29600a28bbf6d242912dc8fe5c0e8d9ecc763565f8064",
    "c589742f4361ca1a64f332181a10c2efc1909c7b67d0ae5d4a7335dbd5512b6c",
    "8952be7e69d20eab9651be313b48f0e5d920bf63f2dfab02eee15f0c3deb7476",
    "25464dcd331fb6dfc31735cdcc5a7f5e187b512084f52ff442b5cc617e29a3bf",
    "b193896b8884d1d3c311aee7cd68f972a3d95250e5b51e2a0d135ff3b3f05fd4",
    "2f76a7e4b230918b173bb7dbeeaae62c12b1e3264f677d6512c928d13c22da04",
    "887fa2014a1efd23f8a19f3cd782bc7b47c944cc461a8c2a7b64b617b9b4bf7f",
    "ae605c0a78f50bee219950d7fab8842d4bbe7608f08f127a8a8beae42c245b6e",
    "f02d75586ed6601b4df292c0621e19522bdd32ba4ecd709d2c3e04f612e76130",
    "91e6c9af893df592ddfb4ff96f6a5a2c245235da64ff10c1ff58b5535e4fd836",
    "b96cdf70048d716f9eab5e0b27bfb6ee029df2a5cc5a86708e84a7d51fe1e88c",
    "734ce24e51b27e8579ecc25c9459ee6e6f1874ce5debaa40e2439b3de0465fe8",
    "e9bea9c2df82fcc983bee06610a0ee849d2cb07cc4e19c9150b5fffc9ff44a98",
    "ef2d447fae40370b6f2f6ddd4ea873da814338a6b90529a56e872a88a53dd5bb",
    "7d24376ffe22dd43f87dcf66ec1df395bb7d22a2f50cb13e86e5d8acb9ce671a",
    "b60c7cef4395b89301fe7c4f684d4c89c51488b15928efeb2d2607ef6d4a7112",
    "af3693744312c85b48ece39c2b1826d4ce6cd8aa7ff0db2709f1e95b95364077",
    "0dc88f7329df669b2e5baf95676c6a50dfb5c1f618c853eba2f9090ee6b03a0d",
    "0310be0872eec1a03d7d96f571958490aa7372f42ad1e48ce30864694f5c0f6d",
    "6c1a2c4d71dea71e7be8f44cc08f99de6547aa6960c098109ba4bc04b9f8a861",
    "abd0e453e2a1636de71b7f7d482aa56d840e63c703c97475e1337198c11f5d94",
    "b1aaccb4b2421d9a06e15a6a4628342a146b5c4612454e0be912a2687d138fbb",
    "69cbb4795a53047e722fb166ead9ffe1615fec32182838cb4cfb13a66afb56c8",
    "42f812c04b984bfe3913de20be7ffe2714d6ae180cf5cc1c81f5e96dd3cc5c88",
    "d0a580f253c929226ccd5cd94b3ff2c636d93d0d302dbe5e802f7f0071eb542c",
    "5e48d64839a8bff5e2471507af6a49f9990817df437857f4a2007df41266e1b5",
};

static void test_pattern_lengths(void **state)
{
	uint8_t msg[PAT_LEN];

	(void)state;
	fill_pattern(msg, sizeof(msg));
	for (size_t n = 0; n <= PAT_LEN; n++)
		assert_oneshot(msg, n, pattern_sums[n]);
}

/* Streaming in chunks of every size 1..70 (and a 0-length update) equals the one-shot digest. */
static void test_streaming_chunks(void **state)
{
	static uint8_t msg[5000];
	uint8_t want[SHA256_DIGEST_SIZE], got[SHA256_DIGEST_SIZE];

	(void)state;
	fill_pattern(msg, sizeof(msg));
	for (size_t len = 0; len <= sizeof(msg); len += len < 300 ? 1 : 997) {
		sha256(msg, len, want);
		for (size_t chunk = 1; chunk <= 70; chunk += len < 300 ? 7 : 1) {
			struct sha256_ctx ctx;
			size_t off = 0;

			sha256_init(&ctx);
			sha256_update(&ctx, msg, 0);
			while (off < len) {
				/* Vary the chunk so that block boundaries fall at many offsets. */
				size_t n = chunk + off % 3;

				if (n > len - off)
					n = len - off;
				sha256_update(&ctx, msg + off, n);
				off += n;
			}
			sha256_final(&ctx, got);
			assert_memory_equal(got, want, SHA256_DIGEST_SIZE);
		}
	}
	/* The embedded table, reached by streaming rather than one-shot. */
	for (size_t n = 0; n <= PAT_LEN; n++) {
		struct sha256_ctx ctx;

		sha256_init(&ctx);
		for (size_t i = 0; i < n; i += 13)
			sha256_update(&ctx, msg + i, n - i < 13 ? n - i : 13);
		sha256_final(&ctx, got);
		assert_digest(got, pattern_sums[n]);
	}
}

/* Images in the bundle are not aligned; hashing from odd addresses must give the same digest. */
static void test_unaligned_input(void **state)
{
	uint8_t buf[PAT_LEN + 8];
	uint8_t d[SHA256_DIGEST_SIZE];

	(void)state;
	for (size_t off = 0; off < 8; off++) {
		fill_pattern(buf + off, PAT_LEN);
		sha256(buf + off, PAT_LEN, d);
		assert_digest(d, pattern_sums[PAT_LEN]);
	}
}

static void test_to_hex(void **state)
{
	uint8_t d[SHA256_DIGEST_SIZE];
	char hex[SHA256_HEX_SIZE];

	(void)state;
	for (int i = 0; i < SHA256_DIGEST_SIZE; i++)
		d[i] = (uint8_t)(i * 8 + 7);
	memset(hex, 'Z', sizeof(hex));
	sha256_to_hex(d, hex);
	assert_string_equal(hex,
			    "070f171f272f373f474f575f676f777f878f979fa7afb7bfc7cfd7dfe7eff7ff");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_nist_vectors),    cmocka_unit_test(test_million_a),
	    cmocka_unit_test(test_pattern_lengths), cmocka_unit_test(test_streaming_chunks),
	    cmocka_unit_test(test_unaligned_input), cmocka_unit_test(test_to_hex),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
